import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {ownerFromCodeowners, readRepositoryConfig} from '../../src/cli/detect-files.js'
import {classifyCommand, splitCommands} from '../../src/core/detect/shell.js'
import {detect, DETECT_PATTERNS, readerFor, type ConfigFile, type DetectResult} from '../../src/core/detect/index.js'
import {packageOf} from '../../src/core/detect/mcp.js'
import {compareRisk, schemaAt} from '../../src/core/detect/merge.js'
import {isPinnedModel} from '../../src/core/detect/model.js'
import {gateOf, splitToolList} from '../../src/core/detect/workflows.js'
import {getAt, parsePath} from '../../src/core/paths.js'
import {findSecretsInText} from '../../src/core/secrets.js'
import {agentManifest} from '../../src/generated/validators.cjs'

const FIXTURES = join(import.meta.dirname, '../fixtures/detect')
const OPTIONS = {name: 'repo', ownerTeam: 'unassigned'}

interface Expected {
  description: string
  observed: Record<string, unknown>
  absent?: string[]
  sources?: {fact: string; file: string; line: number; value?: unknown}[]
  warnings: {code: string; file: string; line?: number}[]
  onlyWarningCodes?: string[]
  products?: string[]
  instructionSurfaces?: string[]
}

function run(name: string): {result: DetectResult; expected: Expected; files: ConfigFile[]} {
  const dir = join(FIXTURES, name)
  const {files, unreadable} = readRepositoryConfig(dir)
  expect(unreadable).toEqual([])
  const result = detect(files, {name, ownerTeam: ownerFromCodeowners(dir) ?? 'unassigned'})
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected
  return {result, expected, files}
}

function at(observed: unknown, path: string): {found: boolean; value: unknown} {
  return getAt(observed, parsePath(path))
}

function schemaErrors(observed: unknown): string[] {
  const ok = agentManifest(observed)
  return ok ? [] : (agentManifest.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`)
}

/** Each fixture's files as detect() sees them (for unit tests that tweak a file). */
function filesOf(name: string): ConfigFile[] {
  return readRepositoryConfig(join(FIXTURES, name)).files
}

const fixtures = readdirSync(FIXTURES)
  .filter((n) => !n.startsWith('.'))
  .sort()

describe('detect: fixture repositories', () => {
  it('has at least 30 fixture repositories, each with an expected.json', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30)
    for (const name of fixtures) expect(readdirSync(join(FIXTURES, name))).toContain('expected.json')
  })

  for (const name of fixtures) {
    describe(name, () => {
      const {result, expected} = run(name)

      it('observed manifest is valid against the schema', () => {
        expect(schemaErrors(result.observed)).toEqual([])
        expect(result.observed.apiVersion).toBe('leash/v1')
        expect(result.observed.kind).toBe('AgentDeployment')
      })

      it('pins the key observed facts', () => {
        for (const [path, value] of Object.entries(expected.observed)) {
          const got = at(result.observed, path)
          expect({path, found: got.found, value: got.value}).toEqual({path, found: true, value})
        }
        for (const path of expected.absent ?? []) {
          expect({path, found: at(result.observed, path).found}).toEqual({path, found: false})
        }
      })

      it('reports the expected warnings with file and line', () => {
        for (const w of expected.warnings) {
          const match = result.warnings.find((d) => d.code === w.code && d.file === w.file && (w.line === undefined || d.line === w.line))
          expect(
            match,
            `${w.code} at ${w.file}:${w.line ?? '*'} in ${JSON.stringify(result.warnings.map((d) => `${d.code} ${d.file}:${d.line}`))}`,
          ).toBeDefined()
        }
        if (expected.onlyWarningCodes) {
          expect([...new Set(result.warnings.map((d) => d.code))].sort()).toEqual([...expected.onlyWarningCodes].sort())
        }
        for (const d of result.warnings) {
          expect(d.line).toBeGreaterThan(0)
          expect(d.column).toBeGreaterThan(0)
          expect(d.file).not.toBe('')
        }
      })

      it('keeps the provenance of facts', () => {
        for (const s of expected.sources ?? []) {
          const match = result.sources.find(
            (x) =>
              x.fact === s.fact &&
              x.file === s.file &&
              x.line === s.line &&
              (s.value === undefined || JSON.stringify(x.value) === JSON.stringify(s.value)),
          )
          expect(
            match,
            `${s.fact} at ${s.file}:${s.line} in ${JSON.stringify(result.sources.filter((x) => x.fact === s.fact).map((x) => `${x.file}:${x.line}=${JSON.stringify(x.value)}`))}`,
          ).toBeDefined()
        }
        // every observed field but the required defaults has a source, and every source names a real path
        for (const s of result.sources) {
          expect(s.file).not.toBe('')
          expect(s.line).toBeGreaterThan(0)
          expect(s.text.length).toBeGreaterThan(0)
          expect(at(result.observed, s.fact).found, s.fact).toBe(true)
        }
      })

      it('lists agents and instruction surfaces', () => {
        if (expected.products) expect([...new Set(result.agents.map((a) => a.product))].sort()).toEqual([...expected.products].sort())
        if (expected.instructionSurfaces) expect(result.instructionSurfaces.map((s) => s.file)).toEqual(expected.instructionSurfaces)
        if (result.agents.length > 0) expect(at(result.observed, 'agent.product').found).toBe(true)
      })

      it('never outputs a secret found in the input', () => {
        const out = JSON.stringify(result)
        expect(findSecretsInText(out)).toEqual([])
      })

      it('is deterministic and independent of file order', () => {
        const files = filesOf(name)
        const again = detect([...files].reverse(), {name, ownerTeam: ownerFromCodeowners(join(FIXTURES, name)) ?? 'unassigned'})
        expect(JSON.stringify(again)).toBe(JSON.stringify(result))
      })
    })
  }
})

describe('detect: contract', () => {
  it('DETECT_PATTERNS covers every format, and every pattern has a reader', () => {
    for (const p of [
      '.claude/settings.json',
      '.claude/settings.local.json',
      '.mcp.json',
      '.cursor/mcp.json',
      '.vscode/mcp.json',
      '.github/workflows/*.yml',
      '.github/workflows/*.yaml',
      '.codex/config.toml',
      '.gemini/settings.json',
      '.aider.conf.yml',
      '.cursor/environment.json',
      'AGENTS.md',
      'CLAUDE.md',
      'GEMINI.md',
      '.github/copilot-instructions.md',
      '.cursor/rules/*',
      '.cursorrules',
    ]) {
      expect(DETECT_PATTERNS).toContain(p)
    }
    for (const p of DETECT_PATTERNS) expect(readerFor(p.replace('*', 'x.yml')) ?? readerFor(p.replace('*', 'x'))).toBeDefined()
    expect(readerFor('.github/workflows/sub/ci.yml')).toBeUndefined()
  })

  it('required fields only when nothing is configured', () => {
    const r = detect([], {name: 'empty', ownerTeam: 'team-a'})
    expect(r.observed).toEqual({
      apiVersion: 'leash/v1',
      kind: 'AgentDeployment',
      metadata: {name: 'empty', owner: {team: 'team-a'}},
      agent: {autonomy: 'autonomous', purpose: 'other'},
    })
    expect(r.sources).toEqual([])
    expect(r.warnings).toEqual([])
  })

  it('an unknown file is a warning, not a crash', () => {
    const r = detect([{path: 'notes/random.txt', text: 'hello'}], OPTIONS)
    expect(r.warnings).toEqual([expect.objectContaining({code: 'unknown-file', file: 'notes/random.txt', line: 1})])
    expect(r.files).toEqual(['notes/random.txt'])
  })

  it('sorts files and agents, and every warning has a location', () => {
    const r = run('multi-agent-monorepo').result
    expect(r.files).toEqual([...r.files].sort())
    const keys = r.agents.map((a) => `${a.file}:${String(a.line).padStart(6, '0')}`)
    expect(keys).toEqual([...keys].sort())
  })

  it('never throws on arbitrary input in any known file', () => {
    const paths = [
      '.claude/settings.json',
      '.mcp.json',
      '.vscode/mcp.json',
      '.github/workflows/a.yml',
      '.codex/config.toml',
      '.gemini/settings.json',
      '.aider.conf.yml',
      '.cursor/environment.json',
      '.cursor/cli.json',
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (path, text) => {
          const r = detect([{path, text}], OPTIONS)
          expect(schemaErrors(r.observed)).toEqual([])
          expect(r.warnings.every((w) => w.code !== 'internal-error')).toBe(true)
        },
      ),
      {numRuns: 300},
    )
  })

  it('a workflow built from random agent steps yields a valid manifest', () => {
    const step = fc.record({
      uses: fc.constantFrom(
        'anthropics/claude-code-action@v1',
        'openai/codex-action@v1',
        'google-github-actions/run-gemini-cli@v0',
        'actions/checkout@v4',
      ),
      with: fc.dictionary(fc.constantFrom('prompt', 'claude_args', 'sandbox', 'settings', 'allowed_tools', 'github_token'), fc.string()),
    })
    fc.assert(
      fc.property(fc.array(step, {maxLength: 4}), fc.constantFrom('issue_comment', 'push', 'pull_request_target'), (steps, on) => {
        const text = JSON.stringify({on, jobs: {a: {'runs-on': 'ubuntu-latest', steps}}})
        const r = detect([{path: '.github/workflows/r.yml', text}], OPTIONS)
        expect(schemaErrors(r.observed)).toEqual([])
        expect(r.warnings.every((w) => w.code !== 'internal-error')).toBe(true)
      }),
      {numRuns: 200},
    )
  })
})

describe('detect: input safety', () => {
  const settings = (text: string): DetectResult => detect([{path: '.claude/settings.json', text}], OPTIONS)

  it('malformed JSONC is a warning with file and line', () => {
    const r = settings('{\n  "permissions": {\n    "allow": ["Bash"]\n    "deny": []\n  }\n}\n')
    expect(r.warnings[0]).toMatchObject({code: 'syntax', file: '.claude/settings.json', line: 4})
    expect(at(r.observed, 'tools.shell').found).toBe(false)
  })

  it('accepts comments and trailing commas', () => {
    const r = settings('// team settings\n{\n  /* allow */ "permissions": {"allow": ["Bash(npm test)",],},\n}\n')
    expect(r.warnings).toEqual([])
    expect(at(r.observed, 'tools.shellAllowlist').value).toEqual(['npm test'])
  })

  it('refuses __proto__, constructor and prototype keys', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const r = settings(`{"permissions": {"${key}": {"defaultMode": "bypassPermissions"}}}`)
      expect(r.warnings).toEqual([expect.objectContaining({code: 'forbidden-key', line: 1})])
      expect(({} as Record<string, unknown>).defaultMode).toBeUndefined()
      expect(at(r.observed, 'agent.product').found).toBe(false)
    }
  })

  it('enforces the depth and size limits', () => {
    const deep = `{"a": ${'['.repeat(100)}${']'.repeat(100)}}`
    expect(settings(deep).warnings[0]).toMatchObject({code: 'limit-depth'})
    const big = `{"env": {"X": "${'a'.repeat(1024 * 1024)}"}}`
    expect(settings(big).warnings[0]).toMatchObject({code: 'limit-size'})
  })

  it('duplicate keys are reported', () => {
    const r = settings('{\n"model": "opus",\n"model": "sonnet"\n}')
    expect(r.warnings).toEqual([expect.objectContaining({code: 'duplicate-key', line: 3})])
  })

  it('YAML alias bombs in workflows are refused with a warning', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghij'.split('').map(
        (k, i) =>
          `${k}: &${k} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
      'jobs: {}',
    ].join('\n')
    const r = detect([{path: '.github/workflows/bomb.yml', text: bomb}], OPTIONS)
    expect(r.warnings[0].code).toMatch(/^limit-/)
  })

  it('a literal secret is reported without its value anywhere in the result', () => {
    const token = 'ghp_Zq8Xw2LmN4pR7tVb1YcK9dFs3HjG6aQeUo0iPl'
    const anthropic = 'sk-ant-api03-Tq9Lm2Xv7Bn4Rk8Wz1Pc6Hd3Fj5Gs0Ay2Qe9Vu7Mi4No1Lk8Jh6Gf3Dd'
    const files: ConfigFile[] = [
      {
        path: '.mcp.json',
        text: JSON.stringify(
          {mcpServers: {gh: {command: 'npx', args: ['-y', `server@1.0.0`, `--token=${token}`], env: {GITHUB_TOKEN: token}}}},
          null,
          2,
        ),
      },
      {
        path: '.claude/settings.json',
        text: JSON.stringify(
          {
            env: {ANTHROPIC_API_KEY: anthropic},
            permissions: {allow: [`Bash(curl -H "x-api-key: ${anthropic}" https://api.anthropic.com/v1/messages)`]},
          },
          null,
          2,
        ),
      },
      {
        path: '.github/workflows/x.yml',
        text: `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          anthropic_api_key: ${anthropic}\n`,
      },
    ]
    const r = detect(files, OPTIONS)
    const out = JSON.stringify(r)
    expect(out).not.toContain(token)
    expect(out).not.toContain(anthropic)
    expect(out).not.toContain(token.slice(8))
    expect(findSecretsInText(out)).toEqual([])
    const secrets = r.warnings.filter((w) => w.code === 'literal-secret')
    expect(secrets.map((w) => `${w.file}:${w.line}`)).toEqual(
      expect.arrayContaining(['.claude/settings.json:3', '.github/workflows/x.yml:8']),
    )
    expect(at(r.observed, 'identity.credentials').value).toEqual(
      expect.arrayContaining([expect.objectContaining({name: 'ANTHROPIC_API_KEY', storage: 'source-code'})]),
    )
  })
})

describe('detect: signals', () => {
  const claude = (settings: unknown): DetectResult => detect([{path: '.claude/settings.json', text: JSON.stringify(settings)}], OPTIONS)
  const wf = (yaml: string, path = '.github/workflows/w.yml'): DetectResult => detect([{path, text: yaml}], OPTIONS)
  const v = (r: DetectResult, path: string): unknown => at(r.observed, path).value

  it('arbitrary-execution allow rules make the shell unrestricted', () => {
    for (const rule of [
      'Bash',
      'Bash(*)',
      'Bash(npm run:*)',
      'Bash(npm run *)',
      'Bash(npx:*)',
      'Bash(python:*)',
      'Bash(python -c:*)',
      'Bash(docker:*)',
      'Bash(make:*)',
      'Bash(find:*)',
      'Bash(xargs:*)',
      'Bash(git:*)',
      'Bash(git config:*)',
      'Bash(env:*)',
      'Bash(bash -c:*)',
      'Bash(pnpm dlx:*)',
      'Bash(* --version)',
    ]) {
      expect({rule, shell: v(claude({permissions: {allow: [rule]}}), 'tools.shell')}).toEqual({rule, shell: 'unrestricted'})
    }
    for (const rule of ['Bash(npm test)', 'Bash(npm run test:*)', 'Bash(git diff:*)', 'Bash(git commit:*)', 'Bash(ls)']) {
      expect({rule, shell: v(claude({permissions: {allow: [rule]}}), 'tools.shell')}).toEqual({rule, shell: 'allowlist'})
    }
  })

  it('a bare Bash deny wins over every allow', () => {
    const r = claude({permissions: {allow: ['Bash(*)'], deny: ['Bash']}})
    expect(v(r, 'tools.shell')).toBe('none')
  })

  it('bypassPermissions and --dangerously-skip-permissions are autonomous', () => {
    expect(v(claude({permissions: {defaultMode: 'bypassPermissions'}}), 'agent.autonomy')).toBe('autonomous')
    expect(v(claude({permissions: {defaultMode: 'acceptEdits'}}), 'agent.autonomy')).toBe('supervised')
    expect(v(claude({permissions: {defaultMode: 'plan'}}), 'agent.autonomy')).toBe('suggest-only')
    const r = wf(
      'on: push\npermissions: {contents: read}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: claude -p "fix it" --dangerously-skip-permissions\n',
    )
    expect(v(r, 'agent.autonomy')).toBe('autonomous')
    expect(v(r, 'tools.shell')).toBe('unrestricted')
  })

  it('.env deny rules block env files, their absence does not', () => {
    expect(v(claude({permissions: {deny: ['Read(./.env)']}}), 'secrets.envFilesBlocked')).toBe(true)
    expect(v(claude({permissions: {deny: ['Read(./.env.*)']}}), 'secrets.envFilesBlocked')).toBe(true)
    expect(v(claude({permissions: {deny: ['Read(./secrets/**)']}}), 'secrets.envFilesBlocked')).toBe(false)
  })

  it('WebFetch rules set the network grant', () => {
    expect(v(claude({permissions: {allow: ['WebFetch']}}), 'tools.network')).toBe('unrestricted')
    const r = claude({permissions: {allow: ['WebFetch(domain:docs.rs)']}})
    expect(v(r, 'tools.network')).toBe('allowlist')
    expect(v(r, 'tools.networkAllowlist')).toEqual(['docs.rs'])
  })

  it('pull_request_target with a head checkout and a build is a pwn request', () => {
    const r = run('pull-request-target-pwn').result
    expect(r.warnings.some((w) => w.code === 'untrusted-checkout')).toBe(true)
    expect(v(r, 'tools.shell')).toBe('unrestricted')
    expect(v(r, 'agent.untrustedInputs')).toContain('pr-diffs-from-forks')
  })

  it('untrusted event fields: in run: is script injection, in a prompt is prompt injection', () => {
    const inRun = wf(
      'on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n      - uses: anthropics/claude-code-base-action@v1\n',
    )
    expect(inRun.warnings.find((w) => w.code === 'script-injection')).toMatchObject({line: 7})
    expect(v(inRun, 'agent.untrustedInputs')).toContain('issue-bodies')
    const inPrompt = wf(
      'on: issue_comment\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-base-action@v1\n        with:\n          prompt: "Answer ${{ github.event.comment.body }}"\n',
    )
    expect(inPrompt.warnings.find((w) => w.code === 'prompt-injection')).toMatchObject({line: 9})
    expect(inPrompt.warnings.some((w) => w.code === 'script-injection')).toBe(false)
    expect(v(inPrompt, 'agent.untrustedInputs')).toContain('pr-comments')
  })

  it('author_association gates narrow who can trigger', () => {
    expect(gateOf('contains(fromJSON(\'["OWNER","MEMBER","COLLABORATOR"]\'), github.event.comment.author_association)').actors).toBe(
      'collaborators',
    )
    expect(gateOf("github.event.comment.author_association == 'OWNER'").actors).toBe('owner-only')
    expect(gateOf("github.event.comment.author_association == 'OWNER' || github.event.comment.author_association == 'MEMBER'").actors).toBe(
      'maintainers',
    )
    expect(gateOf("github.event.comment.author_association != 'NONE'").actors).toBeUndefined()
    expect(gateOf("contains(github.event.comment.body, '@claude')").actors).toBeUndefined()
    expect(gateOf('github.event.pull_request.head.repo.full_name == github.repository')).toMatchObject({
      actors: 'collaborators',
      sameRepo: true,
    })
  })

  it('a missing permissions block is treated as the permissive default, with a warning', () => {
    const r = wf('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: openai/codex-action@v1\n')
    expect(r.warnings.some((w) => w.code === 'missing-permissions')).toBe(true)
    expect(v(r, 'access.repositories.permission')).toBe('write')
    expect(v(r, 'access.cicd.triggerBuilds')).toBe(true)
  })

  it('workflow permissions map to access', () => {
    const r = wf(
      'on: push\npermissions:\n  contents: write\n  actions: read\n  issues: read\n  packages: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: openai/codex-action@v1\n',
    )
    expect(v(r, 'access.repositories.permission')).toBe('write')
    expect(v(r, 'access.repositories.canMerge')).toBe(true)
    expect(v(r, 'access.cicd.readLogs')).toBe(true)
    expect(v(r, 'access.cicd.triggerBuilds')).toBe(false)
    expect(v(r, 'access.ticketing')).toBe('read')
    expect(v(r, 'access.packages')).toBe('publish')
    const job = wf(
      'on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n      - uses: openai/codex-action@v1\n',
    )
    expect(v(job, 'access.repositories.permission')).toBe('read')
  })

  it('mutable action refs are warnings; SHA pins earn CTL-PINNED-TOOLS', () => {
    const pinned = wf(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: openai/codex-action@0123456789abcdef0123456789abcdef01234567\n        with:\n          codex-version: 0.46.0\n',
    )
    expect(pinned.warnings.some((w) => w.code === 'unpinned-action')).toBe(false)
    expect(v(pinned, 'controls[0]')).toMatchObject({id: 'CTL-PINNED-TOOLS', status: 'implemented'})
    const tag = wf('on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: openai/codex-action@v1\n')
    expect(tag.warnings.find((w) => w.code === 'unpinned-action')).toMatchObject({line: 7})
    expect(at(tag.observed, 'controls').found).toBe(false)
  })

  it('OIDC federation gives an oidc-federated credential; API key secrets give static keys in the CI store', () => {
    const oidc = run('claude-action-v1-locked').result
    expect(v(oidc, 'identity.credentials')).toEqual(expect.arrayContaining([expect.objectContaining({kind: 'oidc-federated'})]))
    const key = run('claude-action-legacy-inputs').result
    expect(v(key, 'identity.credentials')).toEqual(
      expect.arrayContaining([expect.objectContaining({name: 'ANTHROPIC_API_KEY', kind: 'static-api-key', storage: 'ci-secret-store'})]),
    )
    expect(v(key, 'secrets.readable')).toEqual(['ci-secrets'])
  })

  it('codex modes: full-auto, danger-full-access and yolo', () => {
    const toml = (body: string): DetectResult => detect([{path: '.codex/config.toml', text: body}], OPTIONS)
    expect(v(toml('approval_policy = "never"\nsandbox_mode = "danger-full-access"\n'), 'tools.fileSystem')).toBe('host')
    expect(v(toml('approval_policy = "on-request"\n'), 'agent.autonomy')).toBe('supervised')
    const cli = wf(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: codex exec --yolo "fix the build"\n',
    )
    expect(v(cli, 'tools.network')).toBe('unrestricted')
    expect(v(cli, 'tools.fileSystem')).toBe('host')
    const full = wf(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: codex exec --full-auto "fix the build"\n',
    )
    expect(v(full, 'tools.network')).toBe('none')
    expect(v(full, 'tools.fileSystem')).toBe('workspace')
  })

  it('gemini yolo: run-gemini-cli always, the CLI with --yolo', () => {
    const action = wf(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: google-github-actions/run-gemini-cli@v0\n',
    )
    expect(v(action, 'agent.autonomy')).toBe('autonomous')
    expect(v(action, 'tools.shell')).toBe('unrestricted')
    const excluded = wf(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: google-github-actions/run-gemini-cli@v0\n        with:\n          settings: \'{"tools": {"exclude": ["run_shell_command"]}}\'\n',
    )
    expect(v(excluded, 'tools.shell')).toBe('none')
  })

  it('aider: yes-always is autonomous and runs suggested shell commands', () => {
    const r = detect([{path: '.aider.conf.yml', text: 'yes-always: true\n'}], OPTIONS)
    expect(v(r, 'agent.autonomy')).toBe('autonomous')
    expect(v(r, 'tools.shell')).toBe('unrestricted')
    expect(r.warnings.some((w) => w.code === 'auto-commits')).toBe(true)
  })

  it('MCP servers: @latest vs pinned vs digest vs local', () => {
    expect(packageOf('npx', ['-y', '@scope/server@latest'])).toMatchObject({name: '@scope/server', version: 'latest', pinned: false})
    expect(packageOf('npx', ['-y', '@scope/server@1.2.3'])).toMatchObject({pinned: true, version: '1.2.3'})
    expect(packageOf('npx', ['@scope/server'])).toMatchObject({pinned: false, version: undefined})
    expect(packageOf('uvx', ['mcp-server-git==2025.1.14'])).toMatchObject({pinned: true})
    expect(packageOf('uvx', ['--from', 'pkg>=1', 'cmd'])).toMatchObject({name: 'pkg', pinned: false})
    expect(packageOf('docker', ['run', '-i', '--rm', '-e', 'X', 'ghcr.io/a/b:1.0'])).toMatchObject({
      name: 'ghcr.io/a/b',
      version: '1.0',
      pinned: false,
    })
    expect(packageOf('docker', ['run', 'img@sha256:' + 'a'.repeat(64)])).toMatchObject({pinned: true})
    expect(packageOf('node', ['./tools/server.js'])).toMatchObject({kind: 'local', pinned: true})
    expect(packageOf('pnpm', ['dlx', 'x@2.0.0'])).toMatchObject({name: 'x', pinned: true})
  })

  it('literal MCP env secrets are warnings; references are not', () => {
    const ref = detect(
      [{path: '.mcp.json', text: '{"mcpServers": {"a": {"command": "npx", "args": ["a@1.0.0"], "env": {"API_TOKEN": "${API_TOKEN}"}}}}'}],
      OPTIONS,
    )
    expect(ref.warnings).toEqual([])
    expect(v(ref, 'tools.mcpServers[0].credentials')).toBe('scoped-token')
    const lit = run('mcp-literal-secret').result
    expect(lit.warnings.filter((w) => w.code === 'literal-secret')).toHaveLength(2)
  })

  it('several agents: the widest grant per field, union of lists, all sources kept', () => {
    const r = run('multi-agent-monorepo').result
    expect(v(r, 'tools.shell')).toBe('unrestricted')
    const shellSources = r.sources.filter((s) => s.fact === 'tools.shell')
    expect(new Set(shellSources.map((s) => s.value))).toEqual(new Set(['allowlist', 'unrestricted']))
    expect(new Set(shellSources.map((s) => s.file)).size).toBeGreaterThan(2)
    expect(v(r, 'agent.triggers')).toEqual(['issue-comment', 'schedule'])
  })

  it('a locked-down repository yields the safe values', () => {
    const r = run('claude-action-v1-locked').result
    expect(v(r, 'access.repositories.permission')).toBe('read')
    expect(v(r, 'access.repositories.canMerge')).toBe(false)
    expect(v(r, 'agent.autonomy')).toBe('suggest-only')
    expect(v(r, 'sandbox.networkIsolated')).toBe(true)
    expect(v(r, 'tools.shell')).toBe('allowlist')
    expect(r.warnings).toEqual([])
    const local = run('claude-locked-down').result
    expect(v(local, 'secrets.envFilesBlocked')).toBe(true)
    expect(v(local, 'sandbox.type')).toBe('container')
  })

  it('instruction files are surfaces, not privileges', () => {
    const r = run('instructions-only').result
    expect(Object.keys(r.observed).sort()).toEqual(['agent', 'apiVersion', 'kind', 'metadata'])
    expect(r.instructionSurfaces.map((s) => s.kind)).toEqual([
      'claude-rules',
      'cursor-rules',
      'copilot-instructions',
      'agents-md',
      'claude-md',
      'gemini-md',
    ])
  })
})

describe('detect: merge rules come from the schema', () => {
  it('enums use x-leash-risk-order, booleans their risky value', () => {
    expect(compareRisk('tools.shell', 'unrestricted', 'allowlist')).toBeGreaterThan(0)
    expect(compareRisk('sandbox.type', 'none', 'vm')).toBeGreaterThan(0)
    expect(compareRisk('secrets.envFilesBlocked', false, true)).toBeGreaterThan(0)
    expect(compareRisk('access.repositories.canMerge', true, false)).toBeGreaterThan(0)
    expect(compareRisk('oversight.sessionTimeout', 'PT6H', 'PT15M')).toBeGreaterThan(0)
    expect(compareRisk('identity.credentials.kind', 'static-api-key', 'oidc-federated')).toBeGreaterThan(0)
    expect(schemaAt('tools.mcpServers.pinned')?.type).toBe('boolean')
  })

  it('every boolean a reader emits has a risk direction', () => {
    for (const name of fixtures) {
      for (const s of run(name).result.sources) {
        if (typeof s.value === 'boolean') expect(Array.isArray(schemaAt(s.fact)?.['x-leash-risk-order']), s.fact).toBe(true)
      }
    }
  })

  it('models: dated snapshots are pinned, aliases are not', () => {
    expect(isPinnedModel('claude-sonnet-4-5-20250929')).toBe(true)
    expect(isPinnedModel('claude-sonnet-4-5')).toBe(false)
    expect(isPinnedModel('sonnet')).toBe(false)
    expect(isPinnedModel('gpt-5-2025-08-07')).toBe(true)
    expect(isPinnedModel('gemini-1.5-pro-002')).toBe(true)
    expect(isPinnedModel('claude-3-7-sonnet-latest')).toBe(false)
  })
})

describe('detect: command classification', () => {
  it('splits scripts into commands with their lines', () => {
    expect(splitCommands('npm ci && npm test\n# comment\nclaude -p "a && b" \\\n  --max-turns 3')).toEqual([
      {text: 'npm ci', line: 0},
      {text: 'npm test', line: 0},
      {text: 'claude -p "a && b" --max-turns 3', line: 2},
    ])
  })

  it('recognises effects of literal commands', () => {
    expect(classifyCommand('gh pr merge --admin 12', true).effects.flatMap((e) => e.facts.map((f) => f[0]))).toEqual(
      expect.arrayContaining(['access.repositories.canMerge', 'access.repositories.canBypassBranchProtection']),
    )
    expect(classifyCommand('git push origin HEAD:main', true).effects.flatMap((e) => e.facts)).toContainEqual([
      'access.repositories.branches',
      'default-branch',
    ])
    expect(classifyCommand('git push origin feature/x', true).effects.flatMap((e) => e.facts)).not.toContainEqual([
      'access.repositories.branches',
      'default-branch',
    ])
    expect(classifyCommand('npm ci', true).install).toBe('lockfile-only')
    expect(classifyCommand('pip install -r requirements.txt', true).install).toBe('any')
  })

  it('splits tool lists with commas inside parentheses', () => {
    expect(splitToolList('Read,Bash(git log:*),Bash(npm run test, lint)')).toEqual(['Read', 'Bash(git log:*)', 'Bash(npm run test, lint)'])
  })
})

describe('readRepositoryConfig and CODEOWNERS', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'leash-detect-'))
  afterAll(() => rmSync(tmp, {recursive: true, force: true}))

  it('reads the listed files only, skips symlinks leaving the repository, reports unreadable ones', () => {
    const repo = join(tmp, 'repo')
    const outside = join(tmp, 'outside')
    mkdirSync(join(repo, '.claude'), {recursive: true})
    mkdirSync(join(repo, '.github/workflows'), {recursive: true})
    mkdirSync(outside, {recursive: true})
    writeFileSync(join(repo, '.claude/settings.json'), '{}')
    writeFileSync(join(repo, '.github/workflows/ci.yml'), 'on: push\n')
    writeFileSync(join(repo, '.github/workflows/notes.txt'), 'not a workflow')
    writeFileSync(join(repo, 'README.md'), '# readme')
    writeFileSync(join(outside, 'secret.json'), '{"a": 1}')
    symlinkSync(join(outside, 'secret.json'), join(repo, '.mcp.json'))
    writeFileSync(join(repo, 'AGENTS.md'), Buffer.from([0x66, 0x00, 0x6f]))
    writeFileSync(join(repo, 'CLAUDE.md'), 'x'.repeat(1024 * 1024 + 1))
    mkdirSync(join(repo, 'GEMINI.md'))
    writeFileSync(join(repo, '.cursorrules'), 'rules')
    symlinkSync(join(repo, '.cursorrules'), join(repo, '.windsurfrules'))
    const {files, unreadable} = readRepositoryConfig(repo)
    expect(files.map((f) => f.path)).toEqual(['.claude/settings.json', '.cursorrules', '.github/workflows/ci.yml', '.windsurfrules'])
    expect(unreadable.map((u) => u.path)).toEqual(['.mcp.json', 'AGENTS.md', 'CLAUDE.md'])
    expect(unreadable[0].message).toMatch(/outside/)
  })

  it('finds the owning team in CODEOWNERS', () => {
    const repo = join(tmp, 'owners')
    mkdirSync(join(repo, 'docs'), {recursive: true})
    expect(ownerFromCodeowners(repo)).toBeUndefined()
    writeFileSync(join(repo, 'docs/CODEOWNERS'), '# comment\n/src/ @acme/app\n* @someone @acme/platform # fallback\n')
    expect(ownerFromCodeowners(repo)).toBe('platform')
    writeFileSync(join(repo, 'CODEOWNERS'), '* @alice\n')
    expect(ownerFromCodeowners(repo)).toBe('platform')
    expect(ownerFromCodeowners(join(FIXTURES, 'codeowners-team'))).toBe('platform-security')
  })
})
