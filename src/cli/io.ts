/** Reading input files safely: regular files only, within the size limit, strict UTF-8. */
import {closeSync, fstatSync, openSync, readSync, statSync} from 'node:fs'
import {decodeText, DEFAULT_LIMITS, type Limits} from '../core/document.js'
import {InputError, type Diagnostic} from '../core/errors.js'

export interface InputFile {
  /** The path as given, with `/` separators. */
  file: string
  bytes: Buffer
  text: string
}

function problem(code: string, file: string, message: string): InputError {
  const d: Diagnostic = {code, file, line: 0, column: 0, path: '', message}
  return new InputError(d)
}

const ERRNO: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
}

export function displayPath(path: string): string {
  return path.split('\\').join('/')
}

/** Read a text input within limits; a folder, FIFO or device is refused before it is opened. */
export function readInputFile(path: string, limits: Limits = DEFAULT_LIMITS, display?: string): InputFile {
  const file = displayPath(display ?? path)
  let fd: number
  try {
    const st = statSync(path)
    if (st.isDirectory()) throw problem('not-a-file', file, 'is a folder, not a file')
    if (!st.isFile()) throw problem('not-a-file', file, 'is not a regular file (a FIFO, socket or device?)')
    if (st.size > limits.maxBytes) {
      throw problem('limit-size', file, `the file is ${st.size} bytes, over the limit of ${limits.maxBytes} bytes`)
    }
    fd = openSync(path, 'r')
  } catch (error) {
    if (error instanceof InputError) throw error
    const code = (error as NodeJS.ErrnoException).code ?? ''
    throw problem('unreadable', file, `cannot read: ${ERRNO[code] ?? (error as Error).message}`)
  }
  try {
    // Re-check on the open descriptor (the file may have changed) and read at most the limit + 1.
    const st = fstatSync(fd)
    if (!st.isFile()) throw problem('not-a-file', file, 'is not a regular file')
    const buffer = Buffer.allocUnsafe(Math.min(st.size, limits.maxBytes) + 1)
    let length = 0
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      if (length > limits.maxBytes) {
        throw problem('limit-size', file, `the file is over the limit of ${limits.maxBytes} bytes`)
      }
      if (length === buffer.length) break
    }
    const bytes = buffer.subarray(0, length)
    return {file, bytes, text: decodeText(bytes, file)}
  } catch (error) {
    if (error instanceof InputError) throw error
    const code = (error as NodeJS.ErrnoException).code ?? ''
    throw problem('unreadable', file, `cannot read: ${ERRNO[code] ?? (error as Error).message}`)
  } finally {
    closeSync(fd)
  }
}
