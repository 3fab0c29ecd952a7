// The hostile files and the readers they are fed to, in plain JavaScript so that the tests
// (test/hostile/inputs.test.ts) and scripts/reliability.mjs (docs/reliability.md) run exactly the
// same cases. Large files are written at run time into the folder given, never into the repository.
import {spawnSync} from 'node:child_process'
import {linkSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** Seeded PRNG (mulberry32): the same bytes on every run. @param {number} seed */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** @param {number} seed @param {number} length @returns {Buffer} */
export function randomBytes(seed, length) {
  const next = prng(seed)
  const out = Buffer.alloc(length)
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256)
  return out
}

/** The billion-laughs document: 9 levels of 9 aliases, 9^9 nodes once expanded. */
export function aliasBomb() {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i)
    const name = String.fromCharCode(97 + i)
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
  }
  return `${levels.join('\n')}\n`
}

/**
 * @typedef {object} Hostile
 * @property {string} id
 * @property {string} title
 * @property {string} name the file name (its extension chooses YAML or JSON for some readers)
 * @property {() => string | Buffer} [content]
 * @property {'folder' | 'fifo'} [special]
 * @property {RegExp} problem what the message must say
 */

/** @type {Hostile[]} */
export const HOSTILE = [
  {id: 'alias-bomb', title: 'YAML alias bomb (9^9 nodes)', name: 'bomb.yaml', content: aliasBomb, problem: /alias/},
  {
    id: 'alias-count',
    title: '150 alias references',
    name: 'aliases.yaml',
    content: () => `base: &b {x: 1}\nlist:\n${Array.from({length: 150}, () => '  - *b').join('\n')}\n`,
    problem: /more than 100 alias references/,
  },
  {
    id: 'huge',
    title: '30 MB file',
    name: 'huge.yaml',
    content: () => Buffer.concat([Buffer.from('apiVersion: leash/v1\n# '), Buffer.alloc(30 * 1024 * 1024, 'x'), Buffer.from('\n')]),
    problem: /over the limit of 1048576 bytes/,
  },
  {
    id: 'deep-yaml-flow',
    title: '50,000-deep flow YAML',
    name: 'deep-flow.yaml',
    content: () => `${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
    problem: /deeper than the limit of 64 levels/,
  },
  {
    id: 'deep-yaml-block',
    title: '50,000-deep block YAML',
    name: 'deep-block.yaml',
    content: () => `${'- '.repeat(50_000)}x\n`,
    problem: /deeper than the limit of 64 levels/,
  },
  {
    id: 'deep-json',
    title: '50,000-deep JSON',
    name: 'deep.json',
    content: () => `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}\n`,
    problem: /deeper than the limit of 64 levels/,
  },
  {
    id: 'random-bytes',
    title: '64 KiB of random bytes',
    name: 'random.yaml',
    content: () => randomBytes(13, 64 * 1024),
    problem: /binary data|not valid UTF-8/,
  },
  {
    id: 'not-utf8',
    title: 'Latin-1 text (not UTF-8)',
    name: 'latin1.yaml',
    content: () => Buffer.from('apiVersion: leash/v1\nkind: AgentDeployment\nmetadata: {name: caf\xe9}\n', 'latin1'),
    problem: /not valid UTF-8/,
  },
  {
    id: 'duplicate-key',
    title: 'duplicate key',
    name: 'duplicate.yaml',
    content: () => 'apiVersion: leash/v1\nkind: AgentDeployment\napiVersion: leash/v2\n',
    problem: /the key "apiVersion" appears twice \(lines 1 and 3\)/,
  },
  {
    id: 'proto-key',
    title: '`__proto__` key',
    name: 'proto.json',
    content: () => '{"apiVersion": "leash/v1", "__proto__": {"polluted": true}}\n',
    problem: /the key "__proto__" is not allowed/,
  },
  {
    id: 'constructor-key',
    title: '`constructor` key',
    name: 'constructor.yaml',
    content: () => 'apiVersion: leash/v1\nconstructor:\n  prototype: {polluted: true}\n',
    problem: /the key "constructor" is not allowed/,
  },
  {id: 'folder', title: 'a folder', name: 'folder.yaml', special: 'folder', problem: /is a folder, not a file/},
  {id: 'fifo', title: 'a FIFO (mkfifo)', name: 'fifo.yaml', special: 'fifo', problem: /not a regular file/},
]

/** Create a hostile file at `path`: its content, or a folder, or a FIFO. @param {Hostile} h @param {string} path */
export function materialize(h, path) {
  if (h.special === 'folder') mkdirSync(path, {recursive: true})
  else if (h.special === 'fifo') {
    const r = spawnSync('mkfifo', [path])
    if (r.status !== 0) throw new Error(`mkfifo failed: ${String(r.stderr)}`)
  } else writeFileSync(path, h.content())
}

/**
 * Content files are made once per store folder (the 30 MB one too) and hard-linked where a reader
 * needs them: a hard link is a regular file.
 * @param {string} store @param {Hostile} h @param {string} path @param {(() => string | Buffer) | undefined} [content]
 */
const made = new Map()
export function place(store, h, path, content) {
  if (h.special || content) {
    if (content) writeFileSync(path, content())
    else materialize(h, path)
    return
  }
  const key = `${store}\0${h.id}`
  let source = made.get(key)
  if (!source) {
    source = join(store, h.name)
    materialize(h, source)
    made.set(key, source)
  }
  linkSync(source, path)
}

/** For JSONC readers: the YAML-only cases are not JSON at all, and the key cases need JSON syntax. @param {Hostile} h */
export function jsonVariant(h) {
  switch (h.id) {
    case 'alias-bomb':
    case 'alias-count':
    case 'deep-yaml-block':
      return {problem: /not valid JSON/}
    case 'duplicate-key':
      return {content: () => '{\n  "model": "a",\n  "model": "b"\n}\n', problem: /the key "model" appears twice \(lines 2 and 3\)/}
    case 'constructor-key':
      return {content: () => '{"constructor": {"prototype": {"polluted": true}}}\n'}
    default:
      return undefined
  }
}

export const DATE = ['--date', '2026-11-27']

/**
 * Every file leash reads, as a reader: where the hostile file goes and which command reads it.
 * @typedef {object} Reader
 * @property {string} id
 * @property {boolean} [detect] detect reports malformed files as warnings and still exits 0
 * @property {(h: Hostile) => ({content?: () => string, problem?: RegExp} | undefined)} [variant]
 * @property {(store: string, dir: string, h: Hostile, example: string) => {args: string[], shown: string, output?: string}} setup
 */

/** @type {Reader[]} */
export const READERS = [
  {
    id: 'manifest (validate)',
    setup: (store, dir, h) => (place(store, h, join(dir, h.name)), {args: ['validate', h.name, ...DATE], shown: h.name}),
  },
  {
    id: 'manifest (assess)',
    setup: (store, dir, h) => (
      place(store, h, join(dir, h.name)),
      {args: ['assess', h.name, '--format', 'md,html,json,sarif', '--out-dir', 'out', ...DATE], shown: h.name, output: 'out'}
    ),
  },
  {
    id: 'waivers (--waivers)',
    setup: (store, dir, h, example) => (
      place(store, h, join(dir, h.name)),
      {args: ['assess', example, '--waivers', h.name, '--out-dir', 'out', ...DATE], shown: h.name, output: 'out'}
    ),
  },
  {
    id: 'catalog (--catalog)',
    setup: (store, dir, h, example) => {
      mkdirSync(join(dir, 'cat'))
      const name = h.name.endsWith('.json') ? 'threats.json' : 'threats.yaml'
      place(store, h, join(dir, 'cat', name))
      return {args: ['assess', example, '--catalog', 'cat', '--out-dir', 'out', ...DATE], shown: `cat/${name}`, output: 'out'}
    },
  },
  {
    id: 'init answers (--answers)',
    setup: (store, dir, h) => (
      place(store, h, join(dir, h.name)),
      {args: ['init', '--answers', h.name, '--yes', '--out', 'agent.yaml'], shown: h.name, output: 'agent.yaml'}
    ),
  },
  {
    id: 'detect: .claude/settings.json',
    detect: true,
    variant: jsonVariant,
    setup: (store, dir, h) => {
      mkdirSync(join(dir, 'repo', '.claude'), {recursive: true})
      place(store, h, join(dir, 'repo', '.claude', 'settings.json'), jsonVariant(h)?.content)
      return {args: ['detect', 'repo'], shown: '.claude/settings.json'}
    },
  },
  {
    id: 'detect: .github/workflows/agent.yml',
    detect: true,
    setup: (store, dir, h) => {
      mkdirSync(join(dir, 'repo', '.github', 'workflows'), {recursive: true})
      place(store, h, join(dir, 'repo', '.github', 'workflows', 'agent.yml'))
      return {args: ['detect', 'repo'], shown: '.github/workflows/agent.yml'}
    },
  },
]

/** The cases a reader gets: every hostile kind but a folder for detect, which skips folders as absent. @param {Reader} reader */
export const casesFor = (reader) => HOSTILE.filter((h) => !(reader.detect && h.special === 'folder'))

/** The output line that names the file and the problem. @param {string} output @param {string} shown @param {RegExp} problem */
export const lineNaming = (output, shown, problem) => output.split('\n').find((l) => l.includes(shown) && problem.test(l))
