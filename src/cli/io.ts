/** Reading input files safely: regular files only, within the size limit, strict UTF-8. */
import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'
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

/**
 * Read a text input within limits. It is opened without blocking (a FIFO cannot hang it), then a
 * folder, FIFO or device is refused on the open descriptor, and at most the limit is read: four
 * system calls for a file, which matters when CI validates a thousand manifests.
 */
export function readInputFile(path: string, limits: Limits = DEFAULT_LIMITS, display?: string): InputFile {
  const file = displayPath(display ?? path)
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    throw problem('unreadable', file, `cannot read: ${ERRNO[code] ?? (error as Error).message}`)
  }
  try {
    const st = fstatSync(fd)
    if (st.isDirectory()) throw problem('not-a-file', file, 'is a folder, not a file')
    if (!st.isFile()) throw problem('not-a-file', file, 'is not a regular file (a FIFO, socket or device?)')
    if (st.size > limits.maxBytes) {
      throw problem('limit-size', file, `the file is ${st.size} bytes, over the limit of ${limits.maxBytes} bytes`)
    }
    // one byte more than the size: a file that grew while being read is read on, up to the limit
    const buffer = Buffer.allocUnsafe(Math.min(st.size, limits.maxBytes) + 1)
    let length = 0
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      length += n
      if (n === 0 || length < buffer.length) break
      if (length > limits.maxBytes) {
        throw problem('limit-size', file, `the file is over the limit of ${limits.maxBytes} bytes`)
      }
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
