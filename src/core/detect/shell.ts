/**
 * What a shell command, or a command pattern an agent is allowed to run, grants: arbitrary code
 * execution (interpreters, runners, wrappers), network egress, package installs, and effects on
 * the repository and delivery (merge, approve, push to the default branch, publish, deploy).
 * Data tables first, then the small matcher.
 */

/** Commands that run whatever follows them: a wildcard right after one is arbitrary execution. */
export const RUNNERS: readonly string[] = [
  // shells and interpreters
  'sh',
  'bash',
  'zsh',
  'fish',
  'dash',
  'ksh',
  'csh',
  'tcsh',
  'cmd',
  'cmd.exe',
  'powershell',
  'pwsh',
  'python',
  'python3',
  'python2',
  'py',
  'node',
  'nodejs',
  'deno',
  'bun',
  'bunx',
  'npx',
  'tsx',
  'ts-node',
  'perl',
  'ruby',
  'php',
  'lua',
  'Rscript',
  'java',
  'jshell',
  'osascript',
  'awk',
  'gawk',
  // package runners and task runners (scripts the agent can edit)
  'npm run',
  'npm run-script',
  'npm exec',
  'npm x',
  'pnpm',
  'pnpm dlx',
  'pnpm exec',
  'pnpm run',
  'yarn',
  'yarn run',
  'yarn dlx',
  'yarn exec',
  'bun run',
  'bun x',
  'deno run',
  'deno eval',
  'deno task',
  'uv run',
  'uvx',
  'pipx run',
  'poetry run',
  'pdm run',
  'hatch run',
  'conda run',
  'cargo run',
  'go run',
  'dotnet run',
  'gradle',
  './gradlew',
  'mvn',
  'make',
  'just',
  'task',
  'rake',
  'bazel run',
  'nix run',
  'nix-shell',
  'pytest',
  'tox',
  'nox',
  // containers and environment wrappers (not stripped by Claude Code's matcher)
  'docker',
  'docker run',
  'docker exec',
  'docker compose run',
  'docker compose exec',
  'podman',
  'kubectl exec',
  'devbox run',
  'direnv exec',
  'mise exec',
  'mise run',
  'asdf exec',
  // generic wrappers and indirection
  'find',
  'xargs',
  'env',
  'eval',
  'exec',
  'sudo',
  'su',
  'doas',
  'timeout',
  'nohup',
  'nice',
  'time',
  'watch',
  'script',
  'command',
  'builtin',
  'stdbuf',
  'ssh',
  // tools with a built-in way to run commands
  'git',
  'git config',
  'git -c',
  'gh',
  'gh alias',
  'gh extension',
]

/** A flag after an interpreter that takes code: `python -c:*` is arbitrary execution too. */
const CODE_FLAGS = new Set([
  '-c',
  '-e',
  '--eval',
  '-p',
  '--print',
  '-Command',
  '-command',
  '/c',
  '/C',
  '-EncodedCommand',
  '-lc',
  '-ic',
  'eval',
  'exec',
])

/** Commands that reach the network. */
export const NETWORK_COMMANDS: ReadonlySet<string> = new Set([
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'ssh',
  'scp',
  'sftp',
  'rsync',
  'ftp',
  'telnet',
  'socat',
  'http',
  'https',
  'xh',
  'aria2c',
  'Invoke-WebRequest',
  'iwr',
  'Invoke-RestMethod',
  'irm',
])

export type InstallKind = 'any' | 'lockfile-only'

/** Package installs: `flag` (when given) must appear for the entry to apply. */
export const INSTALLS: readonly {cmd: string; flag?: RegExp; kind: InstallKind}[] = [
  {cmd: 'npm ci', kind: 'lockfile-only'},
  {cmd: 'npm install', kind: 'any'},
  {cmd: 'npm i', kind: 'any'},
  {cmd: 'npm add', kind: 'any'},
  {cmd: 'npm update', kind: 'any'},
  {cmd: 'yarn install', flag: /--frozen-lockfile|--immutable/, kind: 'lockfile-only'},
  {cmd: 'yarn install', kind: 'any'},
  {cmd: 'yarn add', kind: 'any'},
  {cmd: 'pnpm install', flag: /--frozen-lockfile/, kind: 'lockfile-only'},
  {cmd: 'pnpm install', kind: 'any'},
  {cmd: 'pnpm i', kind: 'any'},
  {cmd: 'pnpm add', kind: 'any'},
  {cmd: 'bun install', flag: /--frozen-lockfile/, kind: 'lockfile-only'},
  {cmd: 'bun install', kind: 'any'},
  {cmd: 'bun add', kind: 'any'},
  {cmd: 'pip install', flag: /--require-hashes/, kind: 'lockfile-only'},
  {cmd: 'pip install', kind: 'any'},
  {cmd: 'pip3 install', kind: 'any'},
  {cmd: 'python -m pip install', kind: 'any'},
  {cmd: 'uv pip install', kind: 'any'},
  {cmd: 'uv add', kind: 'any'},
  {cmd: 'uv sync', flag: /--locked|--frozen/, kind: 'lockfile-only'},
  {cmd: 'uv sync', kind: 'any'},
  {cmd: 'poetry install', kind: 'lockfile-only'},
  {cmd: 'poetry add', kind: 'any'},
  {cmd: 'cargo add', kind: 'any'},
  {cmd: 'cargo install', kind: 'any'},
  {cmd: 'go get', kind: 'any'},
  {cmd: 'go install', kind: 'any'},
  {cmd: 'gem install', kind: 'any'},
  {cmd: 'bundle install', kind: 'lockfile-only'},
  {cmd: 'bundle add', kind: 'any'},
  {cmd: 'composer install', kind: 'lockfile-only'},
  {cmd: 'composer require', kind: 'any'},
  {cmd: 'apt-get install', kind: 'any'},
  {cmd: 'apt install', kind: 'any'},
  {cmd: 'brew install', kind: 'any'},
  {cmd: 'dotnet add', kind: 'any'},
]

/** Effects on the repository and delivery. `when` must match a literal command; wildcards may supply it unless `literalOnly`. */
export const EFFECTS: readonly {
  cmd: string
  when?: RegExp
  unless?: RegExp
  literalOnly?: boolean
  facts: [string, unknown][]
  label: string
}[] = [
  {
    cmd: 'gh pr merge',
    unless: /--auto\b/,
    facts: [
      ['access.repositories.canMerge', true],
      ['oversight.mergeApproval', 'agent-allowed'],
    ],
    label: 'merges pull requests',
  },
  {cmd: 'gh pr merge', when: /--auto\b/, literalOnly: true, facts: [['access.repositories.canMerge', true]], label: 'enables auto-merge'},
  {
    cmd: 'gh pr merge',
    when: /--admin\b/,
    facts: [['access.repositories.canBypassBranchProtection', true]],
    label: 'merges past branch protection',
  },
  {
    cmd: 'gh pr review',
    when: /(?:--approve|\s-a)\b/,
    facts: [['access.repositories.canApproveOwnChanges', true]],
    label: 'approves pull requests',
  },
  {
    cmd: 'git push',
    when: /\s(?:\S+\s+)?(?:HEAD:)?(?:refs\/heads\/)?(?:main|master|trunk)\b/,
    literalOnly: true,
    facts: [['access.repositories.branches', 'default-branch']],
    label: 'pushes to the default branch',
  },
  {cmd: 'git push', facts: [['access.repositories.permission', 'write']], label: 'pushes commits'},
  {cmd: 'gh workflow run', facts: [['access.cicd.triggerBuilds', true]], label: 'starts workflows'},
  {cmd: 'gh run rerun', facts: [['access.cicd.triggerBuilds', true]], label: 're-runs workflows'},
  {cmd: 'gh run view', facts: [['access.cicd.readLogs', true]], label: 'reads CI logs'},
  {cmd: 'gh run download', facts: [['access.cicd.readLogs', true]], label: 'downloads CI artifacts'},
  ...[
    'npm publish',
    'pnpm publish',
    'yarn publish',
    'yarn npm publish',
    'twine upload',
    'cargo publish',
    'gem push',
    'docker push',
    'poetry publish',
    'uv publish',
    'dotnet nuget push',
  ].map((cmd) => ({cmd, facts: [['access.packages', 'publish']] as [string, unknown][], label: 'publishes packages'})),
  ...[
    'kubectl apply',
    'kubectl rollout',
    'kubectl set',
    'helm upgrade',
    'helm install',
    'terraform apply',
    'vercel deploy',
    'netlify deploy',
    'fly deploy',
    'flyctl deploy',
    'gcloud run deploy',
    'gcloud app deploy',
    'aws ecs update-service',
    'aws lambda update-function-code',
    'serverless deploy',
    'sls deploy',
    'firebase deploy',
    'cdk deploy',
    'pulumi up',
  ].map((cmd) => ({cmd, facts: [['access.cicd.deploy', 'production']] as [string, unknown][], label: 'deploys'})),
]

export interface CommandVerdict {
  /** Equivalent to running any command. */
  arbitrary: boolean
  /** Reaches the network with any destination. */
  network: boolean
  /** Hosts of a fixed network command (curl https://host/...). */
  hosts: string[]
  install?: InstallKind
  effects: {facts: [string, unknown][]; label: string}[]
}

const words = (s: string): string[] => s.trim().split(/\s+/).filter(Boolean)

function startsWith(a: string[], b: string[]): boolean {
  return b.length <= a.length && b.every((w, i) => a[i] === w)
}

/**
 * Classify a command or a command pattern. In a pattern `*` is a wildcard (Claude Code's
 * `Bash(npm run *)`; the legacy `:*` suffix is read as ` *`). `literal` commands (workflow
 * `run:` lines) have no wildcards.
 */
export function classifyCommand(input: string, literal = false): CommandVerdict {
  let spec = input.trim()
  if (!literal) spec = spec.replace(/:\*$/, ' *')
  const all = words(stripEnvAssignments(spec))
  const firstWild = literal ? -1 : all.findIndex((w) => w.includes('*'))
  const wild = firstWild >= 0
  const prefix = wild ? all.slice(0, firstWild) : all
  // a partial word before the wildcard (`npm ru*`) still covers what starts with it
  const partial = wild ? all[firstWild].slice(0, all[firstWild].indexOf('*')) : ''
  const covers = (target: string[]): boolean => {
    if (startsWith(prefix, target)) return true // the pattern fixes the whole target command
    if (!wild || !startsWith(target, prefix)) return false
    const next = target[prefix.length]
    return next === undefined || next.startsWith(partial)
  }
  const verdict: CommandVerdict = {arbitrary: false, network: false, hosts: [], effects: []}
  if (prefix.length === 0 && (wild || all.length === 0)) {
    verdict.arbitrary = !literal
  }
  for (const runner of RUNNERS) {
    const r = words(runner)
    if (wild && startsWith(r, prefix) && (r.length > prefix.length ? r[prefix.length].startsWith(partial) : true)) verdict.arbitrary = true
    if (wild && prefix.length === r.length && startsWith(prefix, r)) verdict.arbitrary = true
    if (startsWith(prefix, r) && prefix.length > r.length && CODE_FLAGS.has(prefix[r.length]) && (wild || literal))
      verdict.arbitrary = !literal
  }
  const head = prefix[0] ?? ''
  if (NETWORK_COMMANDS.has(head) || (prefix.length === 0 && wild)) {
    const urls = all.filter((w) => /^https?:\/\//.test(w))
    if (wild || urls.length === 0) verdict.network = true
    else for (const u of urls) verdict.hosts.push(hostOf(u))
  }
  if (verdict.arbitrary) verdict.network = true
  // installs: the most specific matching entry
  let install: InstallKind | undefined
  for (const entry of INSTALLS) {
    const target = words(entry.cmd)
    if (!covers(target)) continue
    // a wildcard can drop any flag: only a fixed command earns the lockfile-only variant
    if (entry.flag && (wild || !entry.flag.test(spec))) continue
    if (wild && !startsWith(prefix, target)) {
      install = 'any'
      break
    }
    install = entry.kind
    break
  }
  if (install) verdict.install = install
  if (verdict.arbitrary) verdict.install = 'any'
  // effects need the command named (`gh pr:*` can merge; `*` or `bash:*` is already arbitrary
  // execution), and their flag conditions met by the fixed part of a pattern
  const fixedText = wild ? prefix.join(' ') : spec
  for (const effect of EFFECTS) {
    const target = words(effect.cmd)
    if (prefix.length === 0 || prefix[0] !== target[0] || !covers(target)) continue
    if (effect.literalOnly && wild) continue
    if (effect.when && !effect.when.test(fixedText)) continue
    if (effect.unless && effect.unless.test(fixedText)) continue
    verdict.effects.push({facts: effect.facts, label: effect.label})
  }
  return verdict
}

function hostOf(url: string): string {
  const m = /^https?:\/\/(?:[^@/]*@)?([^/:?#]+)/.exec(url)
  return m ? m[1].toLowerCase() : url
}

/** Drop leading `VAR=value` assignments. */
function stripEnvAssignments(s: string): string {
  return s.replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+)+/, '')
}

/**
 * Split a shell script into simple commands (by newline, `&&`, `||`, `;`, `|`), joining
 * backslash continuations. Each command keeps the index of the line it starts on. Quotes are
 * respected; heredoc bodies and comments are skipped.
 */
export function splitCommands(script: string): {text: string; line: number}[] {
  const out: {text: string; line: number}[] = []
  const lines = script.split(/\r?\n/)
  let current = ''
  let startLine = 0
  let quote = ''
  let heredoc: string | undefined
  let lineIdx = 0
  for (let i = 0; i < lines.length; i++) {
    lineIdx = i
    const raw = lines[i]
    if (heredoc !== undefined) {
      if (raw.trim() === heredoc) heredoc = undefined
      continue
    }
    if (current === '' && quote === '') startLine = i
    let line = raw
    const continued = !quote && /\\\s*$/.test(line)
    if (continued) line = line.replace(/\\\s*$/, ' ')
    for (let j = 0; j < line.length; j++) {
      const ch = line[j]
      if (quote) {
        if (ch === '\\' && quote === '"') {
          current += ch + (line[j + 1] ?? '')
          j++
          continue
        }
        if (ch === quote) quote = ''
        current += ch
        continue
      }
      if (ch === '"' || ch === "'") {
        quote = ch
        current += ch
        continue
      }
      if (ch === '#' && (j === 0 || /\s/.test(line[j - 1]))) break
      const two = line.slice(j, j + 2)
      if (two === '&&' || two === '||') {
        push()
        j++
        continue
      }
      if (ch === ';' || ch === '|' || ch === '&') {
        push()
        continue
      }
      if (two === '<<') {
        const m = /^<<-?\s*['"]?([A-Za-z_]+)['"]?/.exec(line.slice(j))
        if (m) heredoc = m[1]
      }
      current += ch
    }
    if (quote) current += '\n'
    else if (!continued) push()
    else current += ' '
  }
  push()
  return out

  function push(): void {
    const t = current.replace(/\s+/g, ' ').trim()
    if (t) out.push({text: t, line: startLine})
    current = ''
    startLine = lineIdx
  }
}

/** Words of one command, quotes removed (good enough to read flags). */
export function shellWords(command: string): string[] {
  const out: string[] = []
  let cur = ''
  let quote = ''
  let any = false
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]
    if (quote) {
      if (ch === quote) quote = ''
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) cur += command[++i]
      else cur += ch
      continue
    }
    if (ch === '"' || ch === "'") {
      quote = ch
      any = true
      continue
    }
    if (ch === '\\' && i + 1 < command.length) {
      cur += command[++i]
      any = true
      continue
    }
    if (/\s/.test(ch)) {
      if (cur || any) out.push(cur)
      cur = ''
      any = false
      continue
    }
    cur += ch
    any = true
  }
  if (cur || any) out.push(cur)
  return out
}

/** A flag's value from words: `--flag value`, `--flag=value`; all occurrences. */
export function flagValues(ws: string[], ...names: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < ws.length; i++) {
    for (const name of names) {
      if (ws[i] === name && i + 1 < ws.length) out.push(ws[i + 1])
      else if (ws[i].startsWith(`${name}=`)) out.push(ws[i].slice(name.length + 1))
    }
  }
  return out
}

export function hasFlag(ws: string[], ...names: string[]): boolean {
  return ws.some((w) => names.includes(w) || names.some((n) => n.startsWith('--') && w.startsWith(`${n}=`)))
}
