/**
 * Writing outputs so that a file under its final name is always whole: each is written to a
 * `.leash-tmp-*` file in the same folder, then renamed. SIGINT removes the temporary files;
 * the next run removes any that a SIGKILL left behind.
 */
import {randomBytes} from 'node:crypto'
import {closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {inputError} from '../core/errors.js'
import {displayPath} from './io.js'

export const TMP_PREFIX = '.leash-tmp-'
const pending = new Set<string>()
let handlersInstalled = false

function installHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  const cleanup = () => {
    for (const f of pending) rmSync(f, {force: true})
    pending.clear()
  }
  process.once('exit', cleanup)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanup()
      process.stderr.write(`\ninterrupted: no report was left half-written\n`)
      process.exit(signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGTERM' ? 15 : 1))
    })
  }
}

function writeError(path: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const reason: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'no space left on the device',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'is a folder',
    EDQUOT: 'disk quota exceeded',
  }
  throw inputError('output', `cannot write: ${reason[code] ?? (error as Error).message}`, displayPath(path))
}

/** Create a folder for output (with parents); refuse a path that is a file. */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, {recursive: true})
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), {code: 'ENOTDIR'})
  } catch (error) {
    writeError(dir, error)
  }
}

/** Remove temporary files a killed run left in a folder. */
export function removeStaleTemporaries(dir: string): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) if (name.startsWith(TMP_PREFIX)) rmSync(join(dir, name), {force: true})
}

/** Write text to a file atomically (temporary file in the same folder, fsync, rename). */
export function writeFileAtomic(path: string, text: string): void {
  installHandlers()
  const tmp = join(dirname(path), `${TMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`)
  pending.add(tmp)
  let fd: number | undefined
  try {
    fd = openSync(tmp, 'wx', 0o644)
    const buffer = Buffer.from(text, 'utf8')
    let offset = 0
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(tmp, path)
    pending.delete(tmp)
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    rmSync(tmp, {force: true})
    pending.delete(tmp)
    writeError(path, error)
  }
}

/** Write several files of one run: all are prepared first, then renamed into place. */
export function writeFilesAtomic(files: readonly {path: string; text: string}[]): void {
  for (const f of files) writeFileAtomic(f.path, f.text)
}
