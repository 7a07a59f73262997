import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { TesseraError } from '@tessera/core'

/** The whole of standard input, without the final line break: for --password-stdin. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}

/** Asks for a password on the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  let muted = false
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk)
      done()
    },
  })
  const reader = createInterface({ input: process.stdin, output, terminal: true })
  return new Promise((resolve) => {
    reader.question(question, (answer) => {
      reader.close()
      process.stderr.write('\n')
      resolve(answer)
    })
    muted = true
  })
}

/**
 * A new password: from standard input with --password-stdin, else typed
 * twice on a terminal. Without either there is no way to ask, and no
 * default password is ever made up.
 */
export async function readNewPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin()
  if (!process.stdin.isTTY) {
    throw new TesseraError('request.invalid', 'no terminal to ask for the password on; pipe it in with --password-stdin')
  }
  const first = await promptHidden('New password: ')
  const second = await promptHidden('Repeat it: ')
  if (first !== second) throw new TesseraError('request.invalid', 'the two passwords differ; nothing was changed')
  return first
}
