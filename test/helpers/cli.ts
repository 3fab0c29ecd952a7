/** Run the built binary as a user would: a real process, its exit code, stdout and stderr. */
import {spawnSync, type SpawnSyncOptions} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from './shared.js'

export const BIN = join(ROOT, 'bin', 'run.js')

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export function leash(args: string[], options: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    ...options,
    // under NODE_ENV=test (set by vitest) oclif would ignore its command manifest
    env: {...process.env, NO_COLOR: '1', DEBUG: '', GITHUB_STEP_SUMMARY: '', NODE_ENV: '', ...options.env},
  })
  return {code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr)}
}

/** A stack trace in output means an error escaped the command layer. */
export const STACK = /\n\s+at .+\(.+:\d+:\d+\)|^\s+at /m

/** The files of dist/ that an entry (`commands/validate.js`) loads statically, itself included. */
export function staticModules(entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(join(ROOT, 'dist', file), 'utf8')
    for (const m of text.matchAll(/from "(?:\.\.\/)?\.\/(?:chunks\/)?([^"]+\.js)"/g)) visit(`chunks/${m[1]}`)
  }
  visit(entry)
  return [...seen]
}
