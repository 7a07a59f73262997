import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { TesseraError } from '@tessera/core'

/** A whole upload kept on disk, to be read as often as needed, then removed. */
export interface Spooled {
  open(): Readable
  remove(): Promise<void>
}

/**
 * Takes in a whole upload before an import starts: the import's transaction
 * (on the embedded database, its one connection) is then never held while
 * a slow or stalled client is still sending, and an upload that breaks off
 * is refused before anything is read. Kept in a private temporary folder.
 */
export async function spool(input: Readable): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-upload-'))
  const path = join(dir, 'upload')
  const remove = () => rm(dir, { recursive: true, force: true })
  try {
    await pipeline(input, createWriteStream(path, { mode: 0o600 }))
  } catch (error) {
    await remove()
    throw brokenOff(error)
  }
  return { open: () => createReadStream(path), remove }
}

/** An upload that ended before the whole file came: nothing of it is imported. */
function brokenOff(cause: unknown): TesseraError {
  const en = 'the upload broke off before the whole file arrived; nothing was imported'
  return new TesseraError('import.invalid', en, { cause, messages: { en, 'zh-CN': '上传在文件传完之前中断，未导入任何数据' } })
}
