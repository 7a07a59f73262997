import { Transform } from 'node:stream'
import { notUtf8 } from './file-problems.js'

/**
 * Decodes a byte stream as UTF-8 and fails on the first byte sequence that is
 * not UTF-8, instead of letting it become U+FFFD in stored records. A file
 * saved in GBK by an older Excel is refused with a hint to re-save it.
 */
export function utf8Text(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let offset = 0
  const refuse = () => notUtf8(offset)
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      try {
        const text = decoder.decode(chunk, { stream: true })
        offset += chunk.length
        done(null, text)
      } catch {
        done(refuse())
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode())
      } catch {
        done(refuse())
      }
    },
  })
}
