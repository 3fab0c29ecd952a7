/**
 * Writing outputs so that a file under its final name is always whole: each is written to a
 * `.leash-tmp-*` file in the same folder, then renamed. SIGINT removes the temporary files;
 * the next run removes any that a SIGKILL left behind.
 */
import {randomBytes} from 'node:crypto'
import {closeSync, fsyncSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {inputError} from '../core/errors.js'
import {displayPath} from './io.js'

export const TMP_PREFIX = '.leash-tmp-'
const pending = new Set<string>()
let handlersInstalled = false

function installHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  const cleanup = () => {
    for (const f of pending) removeQuietly(f)
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

/** Remove a file if it is there; never throws (a cleanup must not hide the error it cleans up after). */
function removeQuietly(path: string): void {
  try {
    rmSync(path, {force: true})
  } catch {
    // nothing to remove, or nothing we can do
  }
}

function writeError(path: string, error: unknown, missing = 'the folder does not exist'): never {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const reason: Record<string, string> = {
    ENOENT: missing,
    EEXIST: 'exists and is not a folder',
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
    makeParents(resolve(dir))
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), {code: 'EEXIST'})
  } catch (error) {
    writeError(dir, error, 'cannot create a folder there')
  }
}

/**
 * `mkdir -p`, one level at a time. Node's `mkdirSync(dir, {recursive: true})` never returns where
 * a parent exists but cannot hold folders (`/proc/x`): mkdir answers ENOENT, and it retries forever.
 */
function makeParents(dir: string): void {
  const missing: string[] = []
  for (let at = dir; ; at = dirname(at)) {
    try {
      statSync(at)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw error
      missing.push(at)
    }
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error // another run made it: fine
    }
  }
}

/** Whether a process runs (EPERM: it does, as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Remove temporary files a killed run left in a folder. A file of a process that still runs is
 * another run writing the same folder at the same time: it is left alone.
 */
export function removeStaleTemporaries(dir: string): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    if (!name.startsWith(TMP_PREFIX)) continue
    const path = join(dir, name)
    const pid = Number(/^\.leash-tmp-(\d+)-/.exec(name)?.[1] ?? 0)
    if (pending.has(path) || (pid > 0 && pid !== process.pid && running(pid))) continue
    removeQuietly(path)
  }
}

/** Write into an existing device, FIFO or socket (`--out /dev/stdout`, `/dev/full`): it cannot be renamed over. */
function writeInPlace(path: string, text: string): void {
  let fd: number | undefined
  try {
    fd = openSync(path, 'w')
    const buffer = Buffer.from(text, 'utf8')
    let offset = 0
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset)
  } catch (error) {
    writeError(path, error)
  } finally {
    try {
      if (fd !== undefined) closeSync(fd)
    } catch {
      // the write error, if any, is the one to report
    }
  }
}

/**
 * Write text to a file atomically (temporary file in the same folder, fsync, rename). An existing
 * device or FIFO is written into, never replaced; a symbolic link keeps pointing where it did.
 */
export function writeFileAtomic(path: string, text: string): void {
  let target = path
  let special = false
  try {
    const st = statSync(path)
    special = !st.isFile() && !st.isDirectory()
    if (st.isFile()) target = realpathSync(path)
  } catch {
    // not there yet: created below
  }
  if (special) return writeInPlace(path, text)
  installHandlers()
  const tmp = join(dirname(target), `${TMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`)
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
    renameSync(tmp, target)
    pending.delete(tmp)
  } catch (error) {
    try {
      if (fd !== undefined) closeSync(fd)
    } catch {
      // the write error is the one to report
    }
    removeQuietly(tmp)
    pending.delete(tmp)
    writeError(path, error)
  }
}
