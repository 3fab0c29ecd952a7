// The package as users get it: `npm pack`, installed from the tarball into an empty folder, run.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/shared.js'

const dir = mkdtempSync(join(tmpdir(), 'leash-pack-'))
let bin = ''
let files: string[] = []

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false'},
  })
}

beforeAll(() => {
  // the build ran before the tests (npm test); --ignore-scripts keeps it as it is
  const out = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT))
  files = out[0].files.map((f: {path: string}) => f.path)
  const tarball = join(dir, out[0].filename)
  const app = join(dir, 'app')
  npm(['init', '-y'], dir)
  execFileSync('mkdir', ['-p', app])
  writeFileSync(join(app, 'package.json'), '{"name": "app", "version": "1.0.0", "private": true}\n')
  npm(['install', '--offline', '--no-save', tarball], app)
  bin = join(app, 'node_modules', '.bin', 'leash')
}, 120_000)

const run = (args: string[], cwd = dir) => spawnSync(bin, args, {cwd, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})

describe('the npm package', () => {
  it('ships the bundle, the command manifest, the data and the examples, and no sources or tests', () => {
    for (const f of [
      'bin/run.js',
      'oclif.manifest.json',
      'dist/cli.js',
      'dist/commands/validate.js',
      'frameworks/threats.json',
      'schemas/agent-manifest.schema.json',
      'examples/refactoring-agent.yaml',
      'LICENSE',
      'NOTICE',
      'README.md',
      'dist/THIRD-PARTY-NOTICES.md',
      'dist/vendor/yaml.cjs',
      'dist/vendor/yaml-parser.cjs',
      'dist/vendor/oclif-extras.cjs',
    ]) {
      expect(files, f).toContain(f)
    }
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('node_modules/'))).toEqual([])
  })

  it('carries the licence of every package in its bundle', () => {
    const notices = readFileSync(join(ROOT, 'dist', 'THIRD-PARTY-NOTICES.md'), 'utf8')
    const version = (name: string) =>
      (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {version: string}).version
    const bundled = [
      '@oclif/core',
      'yaml',
      'js-yaml',
      'marked',
      'handlebars',
      'ajv',
      'ajv-formats',
      '@inquirer/prompts',
      'smol-toml',
      'jsonc-parser',
      'ejs',
      'minimatch',
    ]
    for (const name of bundled) {
      const at = notices.indexOf(`\n## ${name} ${version(name)} (`)
      expect(at, name).toBeGreaterThan(0)
      // the licence text follows its heading
      expect(notices.slice(at, at + 600), name).toMatch(/~~~text\n.*(?:Permission|Copyright|Licen[cs]e|Redistribution)/is)
    }
    const count = Number(/includes the (\d+) packages/.exec(notices)?.[1])
    expect(notices.match(/^## \S+ \S+ \(.*\)$/gm)).toHaveLength(count)
  })

  it('needs no dependencies at run time', () => {
    expect(readdirSync(join(dir, 'app', 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['leash'])
  })

  it('runs from the installed tarball: --version, --help, validate, assess --example, threats', () => {
    expect(run(['--version']).stdout).toMatch(/^leash\/\d+\.\d+\.\d+/)
    // help loads dist/vendor/oclif-extras.cjs (templates in examples, text wrapping)
    const help = run(['assess', '--help'])
    expect(help.status, help.stderr).toBe(0)
    expect(help.stdout).toContain('$ leash assess --example refactoring-agent')
    const example = run(['assess', '--example', 'refactoring-agent', '--json', '--date', '2026-11-27'])
    expect(example.status, example.stderr).toBe(0)
    const result = JSON.parse(example.stdout)
    expect(result.subject.file).toBe('examples/refactoring-agent.yaml')
    expect(result.verdict).toBe('ready')
    const reports = run([
      'assess',
      '--example',
      'low-risk-assistant',
      '--format',
      'md,html,json,sarif',
      '--out-dir',
      'out',
      '--date',
      '2026-11-27',
    ])
    expect(reports.status, reports.stderr).toBe(0)
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['report.html', 'report.json', 'report.md', 'report.sarif'])
    expect(run(['threats', 'THR-SECRET-EXPOSURE']).stdout).toContain('THR-SECRET-EXPOSURE')
    writeFileSync(
      join(dir, 'agent.yaml'),
      'apiVersion: leash/v1\nkind: AgentDeployment\nmetadata: {name: x, owner: {team: t}}\nagent: {purpose: docs, autonomy: autonomus}\n',
    )
    const bad = run(['validate', 'agent.yaml'])
    expect(bad.status).toBe(2)
    expect(bad.stdout).toContain('did you mean "autonomous"?')
  })
})
