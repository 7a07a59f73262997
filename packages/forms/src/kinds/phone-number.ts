/**
 * Telephone numbers as people in China write them, each kind stored in
 * one canonical spelling so that a unique index cannot be fooled by
 * spaces or hyphens:
 *
 * | typed | stored |
 * |---|---|
 * | `138 0013 8000`, `+86 138-0013-8000` | `13800138000` |
 * | `(010) 1234 5678`, `0755-1234567` | `010-12345678`, `0755-1234567` |
 * | `010-12345678 转 123`, `010-12345678-123` | `010-12345678-123` |
 * | `+44 20 7946 0958` | `+442079460958` |
 *
 * Area codes 010 and 020–029 have three characters, all others four, so
 * a landline splits the same way however it was typed.
 */
const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/
const INTERNATIONAL = /^\+([1-9]\d{6,14})$/
const EXTENSION_MARK = /^(.*?)(?:转|ext\.?|x|#)(\d{1,6})$/i
const SEPARATORS = /[-()（）]/

/** The canonical spelling of a phone number, or undefined when it is not one. */
export function normalizePhone(text: string): string | undefined {
  const typed = text.replace(/[\s\u3000]+/g, '')
  const digits = typed.replace(/[-()（）]/g, '')

  const mobile = MOBILE.exec(digits)
  if (mobile) return mobile[1]

  const international = INTERNATIONAL.exec(digits)
  if (international && !international[1].startsWith('86')) return `+${international[1]}`

  const domestic = digits.startsWith('+86') ? `0${typed.replace(/^\+86[-(（]?0?/, '')}` : typed
  return normalizeLandline(domestic)
}

export function checkPhone(text: string): 'format' | undefined {
  return normalizePhone(text) === undefined ? 'format' : undefined
}

function normalizeLandline(typed: string): string | undefined {
  const marked = EXTENSION_MARK.exec(typed)
  if (marked) return landline(marked[1].split(SEPARATORS), marked[2])

  const groups = typed.split(SEPARATORS).filter((group) => group !== '')
  return landline(groups, undefined) ?? trailingExtension(groups)
}

/** "010-12345678-123": a last group of up to six digits after a whole number. */
function trailingExtension(groups: string[]): string | undefined {
  if (groups.length < 3) return undefined
  const extension = groups[groups.length - 1]
  if (!/^\d{1,6}$/.test(extension)) return undefined
  return landline(groups.slice(0, -1), extension)
}

function landline(groups: string[], extension: string | undefined): string | undefined {
  const whole = groups.join('')
  if (!/^0[1-9]\d{8,10}$/.test(whole)) return undefined

  const areaLength = /^0[12]/.test(whole) ? 3 : 4
  const area = whole.slice(0, areaLength)
  const number = whole.slice(areaLength)
  if (!/^[2-9]\d{6,7}$/.test(number)) return undefined
  return extension ? `${area}-${number}-${extension}` : `${area}-${number}`
}
