/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015: 18
 * characters from a 31-character alphabet (digits and capitals without
 * I, O, Z, S and V). The 18th is a check character: with each of the
 * first 17 characters' values weighted by 3^i mod 31, it is the value that
 * brings the weighted sum to a multiple of 31.
 *
 * @example
 * checkUscc('91350100M000100Y43') // undefined (valid)
 * checkUscc('91350100M000100Y44') // 'check'
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

export const USCC_LENGTH = 18

const WEIGHTS = Array.from({ length: USCC_LENGTH - 1 }, (_, index) => 3 ** index % 31)

export type UsccProblem = 'length' | 'charset' | 'check'

export function checkUscc(text: string): UsccProblem | undefined {
  const code = normalizeUscc(text)
  if (code.length !== USCC_LENGTH) return 'length'
  if ([...code].some((char) => !USCC_ALPHABET.includes(char))) return 'charset'
  return usccCheckCharacter(code) === code[USCC_LENGTH - 1] ? undefined : 'check'
}

/** The check character the first 17 characters call for. */
export function usccCheckCharacter(code: string): string {
  let sum = 0
  for (let index = 0; index < USCC_LENGTH - 1; index += 1) {
    sum += USCC_ALPHABET.indexOf(code[index]) * WEIGHTS[index]
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]
}

/** Upper case, without the spaces people type in long codes. */
export function normalizeUscc(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase()
}
