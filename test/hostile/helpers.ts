/**
 * A timed run of the real binary (blocking, or not), temporary folders and folder snapshots,
 * shared by test/hostile and test/property; the hostile files themselves are in cases.mjs, shared
 * with scripts/reliability.mjs. Large inputs are written into os.tmpdir(), never the repository.
 */
import {spawn, spawnSync, type ChildProcess, type SpawnOptions, type SpawnSyncOptions} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {BIN, STACK} from '../helpers/cli.js'
import {ROOT} from '../helpers/shared.js'

export {STACK}
export {DATE} from './cases.mjs'
/** Every hostile case must be refused (or warned about) within this time. */
export const LIMIT_MS = 5000

export interface Timed {
  code: number
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
}

/** Run the built binary with a hard timeout, so that a hang fails the test instead of blocking it. */
export function run(args: string[], options: SpawnSyncOptions = {}): Timed {
  const start = performance.now()
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    timeout: 20_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    // NODE_ENV=test (set by vitest) makes oclif ignore its command manifest: 3x slower starts.
    env: {...process.env, NODE_ENV: undefined, NO_COLOR: '1', DEBUG: '', GITHUB_STEP_SUMMARY: '', ...options.env},
  })
  return {
    code: r.status ?? -1,
    signal: r.signal,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    ms: Math.round(performance.now() - start),
  }
}

/** The same, without blocking: for cases that run side by side (it.concurrent) or that signal the process. */
export function start(args: string[], options: SpawnOptions = {}): {child: ChildProcess; done: Promise<Timed>} {
  const begin = performance.now()
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    ...options,
    env: {...process.env, NODE_ENV: undefined, NO_COLOR: '1', DEBUG: '', GITHUB_STEP_SUMMARY: '', ...options.env},
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const done = new Promise<Timed>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code: code ?? -1, signal, stdout, stderr, ms: Math.round(performance.now() - begin)})
    })
  })
  return {child, done}
}

export const runAsync = (args: string[], options: SpawnOptions = {}): Promise<Timed> => start(args, options).done

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `leash-${name}-`))
}

export {aliasBomb, HOSTILE, materialize, prng, randomBytes} from './cases.mjs'
export type {Hostile} from './cases.mjs'

/** Every file under a folder (relative path → bytes), temporary files included; one that vanishes while read is skipped. */
export function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  const walk = (d: string) => {
    let entries
    try {
      entries = readdirSync(d, {withFileTypes: true})
    } catch {
      return
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, e.name)
      if (e.isDirectory()) walk(full)
      else {
        try {
          out.set(relative(dir, full).split('\\').join('/'), readFileSync(full))
        } catch {
          // renamed or removed meanwhile
        }
      }
    }
  }
  walk(dir)
  return out
}

export const EXAMPLE_FILES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => join(ROOT, 'examples', f))
