/**
 * Reading a repository's agent configuration for `leash detect`: the files DETECT_PATTERNS names,
 * regular files only, never through a symbolic link that leaves the repository, within the size
 * limit, strict UTF-8. What cannot be read is listed, not thrown.
 */
import {lstatSync, readdirSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {InputError} from '../core/errors.js'
import {DETECT_PATTERNS} from '../core/detect/index.js'
import type {ConfigFile} from '../core/detect/types.js'
import {readInputFile} from './io.js'
import {compareText} from '../core/order.js'

export interface RepositoryConfig {
  files: ConfigFile[]
  unreadable: {path: string; message: string}[]
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel))
}

function patternRegExp(name: string): RegExp {
  return new RegExp(
    `^${name
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  )
}

/** Candidate paths (relative, with `/`) for one pattern; `*` only in the last segment. */
function expand(dir: string, root: string, pattern: string): string[] {
  const segments = pattern.split('/')
  const last = segments.pop()!
  // every folder on the way must be a real folder inside the repository
  let folder = dir
  for (const seg of segments) {
    folder = join(folder, seg)
    try {
      const st = lstatSync(folder)
      if (st.isSymbolicLink()) {
        if (!inside(root, realpathSync(folder)) || !statSync(folder).isDirectory()) return []
      } else if (!st.isDirectory()) return []
    } catch {
      return []
    }
  }
  const prefix = segments.length > 0 ? `${segments.join('/')}/` : ''
  if (!last.includes('*')) return [`${prefix}${last}`]
  const re = patternRegExp(last)
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  return names
    .filter((n) => re.test(n))
    .sort()
    .map((n) => `${prefix}${n}`)
}

/** Find and read the agent configuration files of the repository at `dir`. */
export function readRepositoryConfig(dir: string): RepositoryConfig {
  let root: string
  try {
    root = realpathSync(dir)
    if (!statSync(root).isDirectory()) throw new Error('not a folder')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message
    throw new InputError({
      code: 'unreadable',
      file: dir.split('\\').join('/'),
      line: 0,
      column: 0,
      path: '',
      message: `cannot read the repository: ${reason}`,
    })
  }
  const files: ConfigFile[] = []
  const unreadable: {path: string; message: string}[] = []
  const seen = new Set<string>()
  for (const pattern of DETECT_PATTERNS) {
    for (const path of expand(dir, root, pattern)) {
      if (seen.has(path)) continue
      seen.add(path)
      const full = join(dir, ...path.split('/'))
      let st
      try {
        st = lstatSync(full)
      } catch {
        continue // not there
      }
      if (st.isSymbolicLink()) {
        let target: string
        try {
          target = realpathSync(full)
        } catch {
          unreadable.push({path, message: 'a symbolic link to nothing'})
          continue
        }
        if (!inside(root, target)) {
          unreadable.push({path, message: 'a symbolic link that points outside the repository; not followed'})
          continue
        }
      } else if (st.isDirectory()) {
        continue
      }
      try {
        const input = readInputFile(full)
        files.push({path, text: input.text})
      } catch (error) {
        if (error instanceof InputError) {
          const d = error.diagnostics[0]
          unreadable.push({path, message: d?.message ?? error.message})
        } else {
          unreadable.push({path, message: (error as Error).message})
        }
      }
    }
  }
  files.sort((a, b) => compareText(a.path, b.path))
  unreadable.sort((a, b) => compareText(a.path, b.path))
  return {files, unreadable}
}

const CODEOWNERS = ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS']

/** The team of the first `* @org/team` rule in CODEOWNERS, if there is one. */
export function ownerFromCodeowners(dir: string): string | undefined {
  const root = realpathSync(dir)
  for (const name of CODEOWNERS) {
    const full = join(dir, ...name.split('/'))
    let text: string
    try {
      if (!inside(root, realpathSync(full)) || !statSync(full).isFile() || statSync(full).size > 1024 * 1024) continue
      text = readFileSync(full, 'utf8')
    } catch {
      continue
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.replace(/(^|\s)#.*$/, '').trim()
      if (!line) continue
      const [pattern, ...owners] = line.split(/\s+/)
      if (pattern !== '*' && pattern !== '/*' && pattern !== '/**' && pattern !== '**') continue
      for (const owner of owners) {
        const m = /^@[\w.-]+\/([\w.-]+)$/.exec(owner)
        if (m) return m[1]
      }
    }
  }
  return undefined
}
