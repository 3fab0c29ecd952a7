import {spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Ajv} from 'ajv'
import {parse} from 'yaml'
import {describe, expect, it} from 'vitest'
import {HAS_SHARED, NEEDS_SHARED, ROOT, SHARED} from '../helpers/shared.js'

function runAction(workspace: string, env: Record<string, string>) {
  const summary = join(workspace, '..', `summary-${Math.random().toString(36).slice(2)}.md`)
  writeFileSync(summary, '')
  const output = join(workspace, '..', `output-${Math.random().toString(36).slice(2)}.txt`)
  writeFileSync(output, '')
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'action.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      ...env,
    },
  })
  return {code: r.status, stderr: r.stderr, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8')}
}

function workspace(manifest: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'leash-action-'))
  const ws = join(dir, 'repo')
  mkdirSync(ws)
  cpSync(join(ROOT, 'examples', manifest), join(ws, 'agent.yaml'))
  return ws
}

describe('the GitHub Action', () => {
  it(`action.yml is valid against the GitHub Action schema${NEEDS_SHARED}`, {skip: !HAS_SHARED}, () => {
    const schema = JSON.parse(readFileSync(join(SHARED, 'reference', 'schemastore', 'github-action.json'), 'utf8'))
    const ajv = new Ajv({allErrors: true, strict: false})
    const validate = ajv.compile(schema)
    const ok = validate(parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')))
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('pins the actions it uses to a commit', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
    for (const step of action.runs.steps) if (step.uses) expect(step.uses).toMatch(/@[0-9a-f]{40}$/)
  })

  it('passes a ready agent, writing SARIF and a job summary', () => {
    const ws = workspace('mature-deployment.yaml')
    const r = runAction(ws, {LEASH_DETECT: '', LEASH_BASE: ''})
    expect(r.code, r.stderr).toBe(0)
    const sarif = JSON.parse(readFileSync(join(ws, 'leash.sarif'), 'utf8'))
    expect(sarif.version).toBe('2.1.0')
    expect(r.output).toContain('sarif=leash.sarif')
    expect(r.summary).toContain('mature-deployment')
  })

  it('fails the gate (exit 1) for the anti-pattern, with its findings in the SARIF log', () => {
    const ws = workspace('low-risk-assistant.yaml')
    const r = runAction(ws, {LEASH_DETECT: '', LEASH_BASE: ''})
    expect(r.code).toBe(1)
    const sarif = JSON.parse(readFileSync(join(ws, 'leash.sarif'), 'utf8'))
    expect(sarif.runs[0].results.map((x: {ruleId: string}) => x.ruleId)).toContain('THR-SECRET-EXPOSURE')
  })

  it('fails when the pull request widens the agent against the base ref', () => {
    const ws = workspace('mature-deployment.yaml')
    const git = (...a: string[]) => spawnSync('git', a, {cwd: ws, encoding: 'utf8'})
    git('init', '-q')
    git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'add', '.')
    git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qm', 'base')
    writeFileSync(join(ws, 'agent.yaml'), readFileSync(join(ws, 'agent.yaml'), 'utf8').replace('shell: allowlist', 'shell: unrestricted'))
    const r = runAction(ws, {LEASH_DETECT: '', LEASH_BASE: 'HEAD', LEASH_FAIL_ON: 'critical'})
    expect(r.code).toBe(1)
    expect(r.summary).toContain('tools.shell')
    expect(r.summary).toMatch(/widened/)
  })
})
