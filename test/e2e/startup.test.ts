/**
 * What keeps start-up close to bare Node: modules that only some runs need stay out of the others.
 * The timings themselves are measured by `npm run bench` (docs/performance.md), not here.
 */
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {leash, staticModules} from '../helpers/cli.js'
import {MINIMAL_MANIFEST} from '../helpers/manifests.js'
import {ROOT} from '../helpers/shared.js'

const DATE = ['--date', '2026-11-27']
const typo = join(mkdtempSync(join(tmpdir(), 'leash-startup-')), 'typo.yaml')
writeFileSync(typo, MINIMAL_MANIFEST.replace('supervised', 'supervisd'))

describe('start-up', () => {
  it('loads the yaml package only when it has a position to report, and only its parser for a plain manifest', () => {
    const YAML_CODE = '%YAML directive should contain exactly one part' // a message of the yaml package
    // NODE_DEBUG=module traces every require; dist/vendor/yaml.cjs is the yaml package's own
    // bundle, dist/vendor/yaml-parser.cjs its parser alone (positions from the syntax tree)
    const trace = (args: string[]) => leash(args, {env: {NODE_DEBUG: 'module'}})
    const pass = trace(['validate', 'examples/refactoring-agent.yaml', ...DATE])
    expect(pass.code).toBe(0)
    expect(pass.stderr).not.toMatch(/yaml(-parser)?\.cjs/)
    const invalid = trace(['validate', typo, ...DATE])
    expect(invalid.code).toBe(2)
    expect(invalid.stdout).toContain('typo.yaml:9:13 agent.autonomy: "supervisd" is not one of')
    expect(invalid.stderr).toContain('yaml-parser.cjs')
    expect(invalid.stderr).not.toContain('yaml.cjs')
    for (const file of staticModules('commands/validate.js'))
      expect(readFileSync(join(ROOT, 'dist', file), 'utf8'), file).not.toContain(YAML_CODE)
    expect(readFileSync(join(ROOT, 'dist', 'vendor', 'yaml.cjs'), 'utf8')).toContain(YAML_CODE)
  })

  it("keeps oclif's template, glob, spinner and text-wrapping packages out of a run that prints no help", () => {
    // messages of ejs and minimatch: two of the packages in dist/vendor/oclif-extras.cjs
    const EXTRAS_CODE = ['Could not find matching close tag for', 'pattern is too long']
    const trace = (args: string[]) => leash(args, {env: {NODE_DEBUG: 'module'}})
    const pass = trace(['validate', 'examples/refactoring-agent.yaml', ...DATE])
    expect(pass.code).toBe(0)
    expect(pass.stderr).not.toContain('oclif-extras.cjs')
    // help renders the examples' templates (ejs) and wraps text: it loads them, and works
    const help = trace(['validate', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('$ leash validate')
    expect(help.stdout).not.toContain('<%=')
    expect(help.stderr).toContain('oclif-extras.cjs')
    const extras = readFileSync(join(ROOT, 'dist', 'vendor', 'oclif-extras.cjs'), 'utf8')
    for (const code of EXTRAS_CODE) expect(extras).toContain(code)
    for (const command of readdirSync(join(ROOT, 'dist', 'commands'))) {
      for (const file of [...staticModules(`commands/${command}`), 'cli.js']) {
        const text = readFileSync(join(ROOT, 'dist', file), 'utf8')
        for (const code of EXTRAS_CODE) expect(text, `${command} → ${file}`).not.toContain(code)
      }
    }
  })

  it("loads none of Node's child_process, dgram or readline modules in a run that needs none", () => {
    // oclif requires child_process for Windows shells and WSL detection, readline for flags read
    // from stdin; leash's build defers them (OCLIF_EXTRAS, OCLIF_PATCHES in scripts/build.mjs)
    const preload = join(mkdtempSync(join(tmpdir(), 'leash-modules-')), 'modules.cjs')
    writeFileSync(preload, "process.on('exit', () => process.stderr.write('\\nmodules: ' + process.moduleLoadList.join(',')))")
    for (const args of [['--version'], ['validate', 'examples/refactoring-agent.yaml', ...DATE]]) {
      const r = leash(args, {env: {NODE_OPTIONS: `--require ${preload}`}})
      expect(r.code, r.stderr).toBe(0)
      const modules = /modules: (.*)$/.exec(r.stderr)?.[1].split(',') ?? []
      expect(modules.length, r.stderr).toBeGreaterThan(50)
      for (const name of ['child_process', 'dgram', 'readline']) expect(modules, args.join(' ')).not.toContain(`NativeModule ${name}`)
    }
  })

  it('never loads ICU collation data, in any command (leash and oclif sort by code point)', () => {
    // the first localeCompare or Intl.Collator of a process costs about 8 ms
    for (const command of readdirSync(join(ROOT, 'dist', 'commands'))) {
      for (const file of [...staticModules(`commands/${command}`), 'cli.js']) {
        const text = readFileSync(join(ROOT, 'dist', file), 'utf8')
        expect(text, `${command} → ${file}`).not.toMatch(/\.localeCompare\(|Intl\.Collator/)
      }
    }
  })
})
