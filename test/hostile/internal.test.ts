/**
 * Fail closed: a bug in leash (here, a broken installation: a corrupted copy of the package) exits
 * 3 with one short line and a hint to rerun with DEBUG=1, shows the stack only with DEBUG=1, and
 * never exits 0. The built-in catalog is part of the package, not the user's input, so a problem in
 * it is exit 3, not 2.
 */
import {cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {spawnSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/shared.js'
import {LIMIT_MS, STACK, tempDir} from './helpers.js'

const HINT = 'This is a bug in leash. Rerun with DEBUG=1 to see the stack trace, and report it.'
const PARTS = ['bin', 'dist', 'package.json', 'oclif.manifest.json', 'schemas', 'templates', 'examples', 'frameworks']

/** A copy of the installed package (node_modules linked), corrupted by `corrupt`. */
function brokenPackage(corrupt: (root: string) => void): string {
  const root = join(tempDir('broken'), 'leash')
  mkdirSync(root)
  for (const part of PARTS) if (existsSync(join(ROOT, part))) cpSync(join(ROOT, part), join(root, part), {recursive: true})
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'))
  corrupt(root)
  return root
}

type Json = Record<string, unknown> & {threats: {controls: {id: string}[]; when: unknown}[]}
function editJson(path: string, edit: (value: Json) => void): void {
  const value = JSON.parse(readFileSync(path, 'utf8')) as Json
  edit(value)
  writeFileSync(path, JSON.stringify(value, null, 2))
}

function leashAt(root: string, args: string[], debug = false) {
  const start = performance.now()
  const r = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {
    cwd: tempDir('cwd'),
    encoding: 'utf8',
    timeout: 20_000,
    env: {...process.env, NODE_ENV: undefined, NO_COLOR: '1', DEBUG: debug ? '1' : '', GITHUB_STEP_SUMMARY: ''},
  })
  return {code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), ms: performance.now() - start}
}

interface Corruption {
  title: string
  corrupt: (root: string) => void
  /** Commands that must hit it (given the broken package's root). */
  commands: ((root: string) => string[])[]
  message: RegExp
}

const ASSESS = () => ['assess', '--example', 'refactoring-agent', '--format', 'md,json', '--out-dir', 'out', '--date', '2026-11-27']
const VALIDATE = (root: string) => ['validate', join(root, 'examples', 'refactoring-agent.yaml'), '--date', '2026-11-27']
const THREATS = () => ['threats']

const CORRUPTIONS: Corruption[] = [
  {
    title: 'a threat that names a control the catalog lacks (valid JSON and schema; a cross-file invariant)',
    corrupt: (root) =>
      editJson(join(root, 'frameworks', 'threats.json'), (t) => {
        t.threats[0].controls[0].id = 'CTL-DOES-NOT-EXIST'
      }),
    commands: [ASSESS, VALIDATE, THREATS],
    message: /^error internal error: the built-in catalog is inconsistent: .*CTL-DOES-NOT-EXIST/,
  },
  {
    title: 'a threat condition with no operator (valid JSON; only the build checks it)',
    corrupt: (root) =>
      editJson(join(root, 'frameworks', 'threats.json'), (t) => {
        t.threats[0].when = {path: 'tools.shell'}
      }),
    commands: [ASSESS, VALIDATE],
    message: /^error internal error: .*tools\.shell/,
  },
  {
    title: 'frameworks/ replaced by a file (unreadable catalogs)',
    corrupt: (root) => {
      rmSync(join(root, 'frameworks'), {recursive: true})
      writeFileSync(join(root, 'frameworks'), 'not a folder')
    },
    commands: [ASSESS, VALIDATE, THREATS, () => ['frameworks']],
    message: /^error internal error: ENOTDIR/,
  },
  {
    title: 'a question bank that breaks its schema',
    corrupt: (root) =>
      editJson(join(root, 'frameworks', 'questions.json'), (q) => {
        q.sections = 'none'
      }),
    commands: [() => ['init', '--yes', '--out', 'agent.yaml']],
    message: /^error internal error: the question bank frameworks\/questions\.json is invalid/,
  },
]

describe('an internal error exits 3 with one line and a DEBUG=1 hint, never 0', () => {
  it.each(CORRUPTIONS.map((c) => [c.title, c] as const))('%s', (_title, c) => {
    const root = brokenPackage(c.corrupt)
    for (const [i, args] of c.commands.entries()) {
      const command = args(root)
      const r = leashAt(root, command)
      const what = `leash ${command.join(' ')}\n${r.stdout}${r.stderr}`
      expect(r.code, what).toBe(3)
      const lines = r.stderr.trimEnd().split('\n')
      expect(lines, what).toHaveLength(2)
      expect(lines[0], what).toMatch(c.message)
      expect(lines[0].length, 'one short line').toBeLessThan(240)
      expect(lines[1]).toBe(HINT)
      expect(r.stdout + r.stderr).not.toMatch(STACK)
      expect(r.ms).toBeLessThan(LIMIT_MS)

      if (i > 0) continue // the first command of each is also run with DEBUG=1 and with --json
      // DEBUG=1: the stack, still exit 3
      const debug = leashAt(root, command, true)
      expect(debug.code).toBe(3)
      expect(debug.stderr).toMatch(STACK)

      // --json: an error document on stdout, still exit 3 (init has no --json without --yes; it has --yes here)
      const json = leashAt(root, [...command, '--json'])
      expect(json.code).toBe(3)
      expect(JSON.parse(json.stdout)).toEqual({error: {code: 'internal', message: expect.stringMatching(/^internal error: /)}})
    }
  })
})
