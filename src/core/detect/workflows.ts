/**
 * GitHub Actions workflows that run agents: agent actions (claude-code-action, codex-action,
 * run-gemini-cli, …), agent CLIs called in `run:`, and Copilot's `copilot-setup-steps.yml`. For
 * each agent job: triggers and who can start them, untrusted content, the token's permissions,
 * secrets passed in, the runner, what happens to the output, and pinning.
 */
import {InputError} from '../errors.js'
import type {Path} from '../paths.js'
import {aiderFacts, aiderFlags} from './aider.js'
import {addSettings, analyzeClaudePolicy, emptyPolicy, type ClaudePolicy, type PolicySummary} from './claude.js'
import {codexFlags, codexModeFacts} from './codex.js'
import {Collector, type Origin} from './collector.js'
import {analyzeGeminiSettings} from './gemini.js'
import {analyzeMcpServer} from './mcp.js'
import {modelFacts} from './model.js'
import {classifyCommand, flagValues, hasFlag, RUNNERS, shellWords, splitCommands} from './shell.js'
import {isObject, obj, parseJsoncDoc, parseYamlDoc, str, strings, type SourceDoc} from './source.js'
import type {ConfigFile} from './types.js'
import {warnUnknownKeys} from './unknown.js'

type Actors = 'owner-only' | 'maintainers' | 'collaborators' | 'anyone'
const ACTOR_ORDER: Actors[] = ['owner-only', 'maintainers', 'collaborators', 'anyone']
const minActors = (a: Actors, b: Actors): Actors => (ACTOR_ORDER.indexOf(a) <= ACTOR_ORDER.indexOf(b) ? a : b)

/** Events: the manifest trigger, who can cause them by default, what outsiders write into them. */
export const EVENTS: Record<string, {trigger?: string; actors: Actors; inputs: string[]; privileged: boolean}> = {
  issue_comment: {trigger: 'issue-comment', actors: 'anyone', inputs: ['issue-bodies', 'pr-comments'], privileged: true},
  issues: {trigger: 'issue-opened', actors: 'anyone', inputs: ['issue-bodies'], privileged: true},
  discussion: {trigger: 'issue-opened', actors: 'anyone', inputs: ['issue-bodies'], privileged: true},
  discussion_comment: {trigger: 'issue-comment', actors: 'anyone', inputs: ['issue-bodies', 'pr-comments'], privileged: true},
  pull_request: {trigger: 'pull-request', actors: 'anyone', inputs: ['pr-diffs-from-forks'], privileged: false},
  pull_request_target: {trigger: 'pull-request-target', actors: 'anyone', inputs: ['pr-diffs-from-forks'], privileged: true},
  pull_request_review: {trigger: 'issue-comment', actors: 'anyone', inputs: ['pr-comments', 'pr-diffs-from-forks'], privileged: false},
  pull_request_review_comment: {
    trigger: 'issue-comment',
    actors: 'anyone',
    inputs: ['pr-comments', 'pr-diffs-from-forks'],
    privileged: false,
  },
  workflow_run: {trigger: 'pull-request-target', actors: 'anyone', inputs: ['ci-logs'], privileged: true},
  push: {trigger: 'push', actors: 'collaborators', inputs: [], privileged: true},
  merge_group: {trigger: 'push', actors: 'collaborators', inputs: [], privileged: true},
  release: {trigger: 'push', actors: 'collaborators', inputs: [], privileged: true},
  create: {trigger: 'push', actors: 'collaborators', inputs: [], privileged: true},
  schedule: {trigger: 'schedule', actors: 'collaborators', inputs: [], privileged: true},
  workflow_dispatch: {trigger: 'manual', actors: 'collaborators', inputs: [], privileged: true},
  repository_dispatch: {trigger: 'manual', actors: 'collaborators', inputs: [], privileged: true},
  workflow_call: {trigger: 'manual', actors: 'collaborators', inputs: [], privileged: true},
}

/** Activity types only people with triage or write access can cause. */
const MAINTAINER_TYPES = new Set([
  'labeled',
  'unlabeled',
  'assigned',
  'unassigned',
  'milestoned',
  'demilestoned',
  'pinned',
  'unpinned',
  'locked',
  'unlocked',
  'transferred',
  'review_requested',
  'review_request_removed',
])

/** Expressions whose value outsiders write, and the manifest input they are. */
export const UNTRUSTED_EXPRESSIONS: readonly [RegExp, string | undefined][] = [
  [/github\.event\.issue\.(title|body)\b/, 'issue-bodies'],
  [/github\.event\.(comment|review|review_comment)\.body\b/, 'pr-comments'],
  [/github\.event\.pull_request\.(title|body)\b/, 'pr-comments'],
  [/github\.event\.pull_request\.head\.(ref|label)\b|github\.head_ref\b/, 'pr-diffs-from-forks'],
  [/github\.event\.discussion\.(title|body)\b/, 'issue-bodies'],
  [/github\.event\.pages\b[^}]*\bpage_name\b/, 'documents'],
  [/github\.event\.workflow_run\.(head_branch|display_title|head_commit)\b/, 'pr-diffs-from-forks'],
  [/github\.event\.(head_commit|commits)\b[^}]*\b(message|email|name)\b/, undefined],
]

const GITHUB_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
]
/** The permissive default (repositories created before 2023, many organisations): read and write. */
const PERMISSIVE_DEFAULT: Record<string, string> = Object.fromEntries(
  GITHUB_SCOPES.map((s) => [s, s === 'id-token' ? 'none' : s === 'models' ? 'read' : 'write']),
)

interface AgentAction {
  re: RegExp
  product: string
  kind: 'claude-action' | 'claude-base' | 'claude-review' | 'codex-action' | 'gemini-action' | 'custom-action' | 'aider-action'
  /** The action refuses actors without write access by default. */
  checksActor: boolean
}

export const AGENT_ACTIONS: readonly AgentAction[] = [
  {re: /^anthropics\/claude-code-action$/i, product: 'claude-code', kind: 'claude-action', checksActor: true},
  {re: /^anthropics\/claude-code-base-action$/i, product: 'claude-code', kind: 'claude-base', checksActor: false},
  {re: /^anthropics\/claude-code-security-review$/i, product: 'claude-code', kind: 'claude-review', checksActor: false},
  {re: /^openai\/codex-action$/i, product: 'codex', kind: 'codex-action', checksActor: true},
  {
    re: /^(google-github-actions\/run-gemini-cli|google-gemini\/gemini-cli-action)$/i,
    product: 'gemini-cli',
    kind: 'gemini-action',
    checksActor: false,
  },
  {re: /^(sst|anomalyco)\/opencode(\/github)?$/i, product: 'custom', kind: 'custom-action', checksActor: false},
  {re: /(^|\/)[\w.-]*aider[\w.-]*$/i, product: 'aider', kind: 'aider-action', checksActor: false},
]

/** Agent CLIs called in `run:`: command names and the npm packages that provide them. */
const CLIS: readonly {product: string; kind: 'claude-cli' | 'gemini-cli' | 'codex-cli' | 'aider-cli'; heads: string[]; packages: RegExp}[] =
  [
    {product: 'claude-code', kind: 'claude-cli', heads: ['claude'], packages: /^@anthropic-ai\/claude-code(@|$)/},
    {product: 'gemini-cli', kind: 'gemini-cli', heads: ['gemini'], packages: /^@google\/gemini-cli(@|$)/},
    {product: 'codex', kind: 'codex-cli', heads: ['codex'], packages: /^@openai\/codex(@|$)/},
    {product: 'aider', kind: 'aider-cli', heads: ['aider'], packages: /^aider-chat/},
  ]
const CLI_INSTALL =
  /^(?:npm|pnpm|yarn|bun)\s+(?:i|install|add|global\s+add)\s+(?:-g\s+|--global\s+)?.*?(@anthropic-ai\/claude-code|@google\/gemini-cli|@openai\/codex)(@[^\s]+)?|^(?:pip3?|pipx|uv\s+tool|uv\s+pip|python3?\s+-m\s+pip)\s+install\s+.*?(aider-chat|aider-install)((?:==|@)[^\s]+)?/

/** Actions that take the agent's output somewhere. */
const OUTPUT_ACTIONS: readonly {re: RegExp; facts: [string, unknown][]; label: string}[] = [
  {
    re: /^peter-evans\/create-pull-request$/i,
    facts: [['access.repositories.branches', 'feature-only']],
    label: 'opens a pull request with the changes',
  },
  {
    re: /^stefanzweifel\/git-auto-commit-action$/i,
    facts: [['access.repositories.branches', 'any-unprotected']],
    label: 'commits to the checked-out branch',
  },
  {re: /^ad-m\/github-push-action$/i, facts: [['access.repositories.branches', 'any-unprotected']], label: 'pushes commits'},
  {
    re: /^(hmarr\/auto-approve-action|juliangruber\/approve-pull-request-action)$/i,
    facts: [['access.repositories.canApproveOwnChanges', true]],
    label: 'approves pull requests',
  },
  {
    re: /^(pascalgn\/automerge-action|peter-evans\/enable-pull-request-automerge)$/i,
    facts: [['access.repositories.canMerge', true]],
    label: 'merges pull requests',
  },
]

const SHA = /^[0-9a-f]{40}$/

interface SecretClass {
  re: RegExp
  readable: string[]
  kind?: string
  packages?: boolean
}

/** Secret names: what they give the agent and the kind of credential. First kind wins; categories add up. */
export const SECRET_CLASSES: readonly SecretClass[] = [
  {re: /CLAUDE_CODE_OAUTH_TOKEN/i, readable: ['ci-secrets'], kind: 'personal-access-token'},
  {re: /(^|_)(PAT|PERSONAL_ACCESS_TOKEN)($|_)|^GH_(PAT|TOKEN)$|^GITHUB_PAT/i, readable: ['ci-secrets'], kind: 'personal-access-token'},
  {
    re: /^(ANTHROPIC|OPENAI|GEMINI|GOOGLE|AZURE_OPENAI|MISTRAL|GROQ|OPENROUTER|DEEPSEEK|XAI)_API_KEY$/i,
    readable: ['ci-secrets'],
    kind: 'static-api-key',
  },
  {re: /SSH|DEPLOY_KEY/i, readable: ['deployment-credentials'], kind: 'ssh-key'},
  {
    re: /AWS_|AZURE_|^GCP_|GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_CREDENTIALS|SERVICE_ACCOUNT|ARM_CLIENT_SECRET|DIGITALOCEAN|HCLOUD|CLOUDFLARE_API/i,
    readable: ['cloud-credentials'],
    kind: 'static-api-key',
  },
  {re: /DEPLOY|KUBE|HEROKU|VERCEL|NETLIFY|FLY_API|RAILWAY|RENDER_API/i, readable: ['deployment-credentials'], kind: 'static-api-key'},
  {re: /SIGN|GPG|COSIGN|KEYSTORE|CERTIFICATE/i, readable: ['signing-keys'], kind: 'static-api-key'},
  {
    re: /NPM_TOKEN|NODE_AUTH_TOKEN|PYPI|TWINE|NUGET|CARGO_REGISTRY|RUBYGEMS|DOCKER(HUB)?_(TOKEN|PASSWORD)|REGISTRY_(TOKEN|PASSWORD)/i,
    readable: ['ci-secrets'],
    kind: 'static-api-key',
    packages: true,
  },
  {re: /PROD/i, readable: ['production-secrets']},
  {re: /DATABASE_URL|DB_URL|CONNECTION_STRING|DSN$/i, readable: ['ci-secrets'], kind: 'password'},
  {re: /PASSWORD|PASSWD/i, readable: ['ci-secrets'], kind: 'password'},
  {re: /./, readable: ['ci-secrets'], kind: 'static-api-key'},
]

function classifySecret(name: string): {readable: string[]; kind: string; packages: boolean} {
  const readable = new Set<string>()
  let kind: string | undefined
  let packages = false
  for (const cls of SECRET_CLASSES) {
    if (!cls.re.test(name)) continue
    for (const r of cls.readable) readable.add(r)
    kind ??= cls.kind
    packages ||= cls.packages === true
    if (cls.kind && cls.re.source !== '.') break
  }
  if (readable.size === 0) readable.add('ci-secrets')
  return {readable: [...readable].sort(), kind: kind ?? 'static-api-key', packages}
}

interface AgentStep {
  index: number
  product: string
  kind: AgentAction['kind'] | (typeof CLIS)[number]['kind']
  checksActor: boolean
  uses?: string
  ref?: string
  /** For CLIs: the words after the command name. */
  args?: string[]
  /** For CLIs run through npx: the package spec. */
  pkg?: string
  at: Origin
  description: string
}

interface Job {
  id: string
  value: Record<string, unknown>
  steps: Record<string, unknown>[]
}

interface WorkflowCtx {
  doc: SourceDoc
  file: string
  wf: Record<string, unknown>
  events: {name: string; types: string[]; at: Origin}[]
}

const SECRET_REF = /\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g
const EXPR = /\$\{\{([\s\S]*?)\}\}/g

function splitUses(uses: string): {name: string; ref?: string} {
  const at = uses.lastIndexOf('@')
  return at > 0 ? {name: uses.slice(0, at), ref: uses.slice(at + 1)} : {name: uses}
}

function actionName(name: string): string {
  // owner/repo/path → owner/repo plus the path, as written
  return name.replace(/\/+$/, '')
}

/** The line of a command inside a `run:` script. */
function scriptOrigin(doc: SourceDoc, path: Path, lineInScript: number, text: string): Origin {
  const pos = doc.at(path)
  const first = doc.line(pos.line)
  const block = /^\s*(-\s*)?(run|script|prompt|[\w-]+)\s*:\s*[|>]/.test(first) || /^[|>][-+0-9]*$/.test(first.trim())
  return {file: doc.file, line: pos.line + (block ? 1 : 0) + lineInScript, column: 1, text}
}

function findCliInvocation(command: string): {cli: (typeof CLIS)[number]; args: string[]; pkg?: string} | undefined {
  let ws = shellWords(command)
  while (ws.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(ws[0])) ws = ws.slice(1)
  if (ws.length === 0) return undefined
  const head = ws[0].replace(/\\/g, '/').split('/').pop()!
  for (const cli of CLIS) {
    if (cli.heads.includes(head)) return {cli, args: ws.slice(1)}
    if ((head === 'npx' || head === 'bunx' || head === 'pnpx' || (head === 'pnpm' && ws[1] === 'dlx')) && ws.length > 1) {
      const rest = head === 'pnpm' ? ws.slice(2) : ws.slice(1)
      const pkgAt = rest.findIndex((w) => !w.startsWith('-'))
      if (pkgAt >= 0 && cli.packages.test(rest[pkgAt])) return {cli, args: rest.slice(pkgAt + 1), pkg: rest[pkgAt]}
    }
    if (cli.kind === 'aider-cli' && /^python3?$/.test(head) && ws[1] === '-m' && ws[2] === 'aider') return {cli, args: ws.slice(3)}
  }
  return undefined
}

function detectAgentSteps(doc: SourceDoc, job: Job): AgentStep[] {
  const out: AgentStep[] = []
  job.steps.forEach((step, index) => {
    const uses = str(step.uses)
    if (uses) {
      const {name, ref} = splitUses(uses)
      const action = AGENT_ACTIONS.find((a) => a.re.test(actionName(name)))
      if (action) {
        out.push({
          index,
          product: action.product,
          kind: action.kind,
          checksActor: action.checksActor,
          uses: name,
          ref,
          at: doc.origin(['jobs', job.id, 'steps', index, 'uses'], `uses: ${uses}`),
          description: `${uses} in job '${job.id}'`,
        })
      }
      return
    }
    const run = str(step.run)
    if (!run) return
    for (const cmd of splitCommands(run)) {
      const found = findCliInvocation(cmd.text)
      if (!found) continue
      out.push({
        index,
        product: found.cli.product,
        kind: found.cli.kind,
        checksActor: false,
        args: found.args,
        pkg: found.pkg,
        at: scriptOrigin(doc, ['jobs', job.id, 'steps', index, 'run'], cmd.line, cmd.text),
        description: `${found.cli.heads[0]} CLI in job '${job.id}'`,
      })
    }
  })
  return out
}

function parseEvents(doc: SourceDoc, wf: Record<string, unknown>): WorkflowCtx['events'] {
  const on = wf.on ?? wf.true // YAML 1.1 readers turn `on` into true
  const key = wf.on !== undefined ? 'on' : 'true'
  if (typeof on === 'string') return [{name: on, types: [], at: doc.origin([key], `on: ${on}`)}]
  if (Array.isArray(on))
    return on.filter((e): e is string => typeof e === 'string').map((e, i) => ({name: e, types: [], at: doc.origin([key, i], `on: ${e}`)}))
  if (isObject(on)) {
    return Object.entries(on).map(([name, v]) => ({name, types: strings(obj(v).types), at: doc.origin([key, name], `on: ${name}`)}))
  }
  return []
}

/** Who an `if:` expression lets through, if it gates on the actor. */
export function gateOf(expr: string): {actors?: Actors; sameRepo: boolean; bot: boolean} {
  const out: {actors?: Actors; sameRepo: boolean; bot: boolean} = {sameRepo: false, bot: false}
  if (
    /head\.repo\.full_name\s*==\s*github\.repository|github\.repository\s*==\s*github\.event\.pull_request\.head\.repo\.full_name|!\s*github\.event\.pull_request\.head\.repo\.fork|head\.repo\.fork\s*==\s*false/.test(
      expr,
    )
  ) {
    out.sameRepo = true
    out.actors = 'collaborators'
  }
  if (/author_association/.test(expr) && !/author_association\s*!=/.test(expr)) {
    const values = new Set(
      [...expr.matchAll(/['"](OWNER|MEMBER|COLLABORATOR|CONTRIBUTOR|FIRST_TIME_CONTRIBUTOR|FIRST_TIMER|NONE|MANNEQUIN)['"]/g)].map(
        (m) => m[1],
      ),
    )
    if (values.size > 0) {
      const a: Actors = [...values].every((v) => v === 'OWNER')
        ? 'owner-only'
        : [...values].every((v) => v === 'OWNER' || v === 'MEMBER')
          ? 'maintainers'
          : [...values].every((v) => v === 'OWNER' || v === 'MEMBER' || v === 'COLLABORATOR')
            ? 'collaborators'
            : 'anyone'
      out.actors = out.actors ? minActors(out.actors, a) : a
    }
  }
  const actorEq = [...expr.matchAll(/github\.(?:actor|triggering_actor|event\.sender\.login)\s*==\s*['"]([^'"]+)['"]/g)].map((m) => m[1])
  const actorList = /contains\(\s*fromJSON\([^)]*\)\s*,\s*github\.(actor|triggering_actor)/.test(expr)
  if (actorEq.length > 0 || actorList) {
    const a: Actors = actorEq.length === 1 && !actorList ? 'owner-only' : 'maintainers'
    out.actors = out.actors ? minActors(out.actors, a) : a
    if (actorEq.some((x) => /\[bot\]$/.test(x))) out.bot = true
  }
  return out
}

function runnerFacts(c: Collector, doc: SourceDoc, job: Job): void {
  const runsOn = job.value['runs-on']
  const labels = isObject(runsOn) ? strings(runsOn.labels).concat(str(runsOn.group) ? [`group:${runsOn.group}`] : []) : strings(runsOn)
  if (labels.length === 0 || labels.some((l) => l.includes('${{'))) return
  const at = doc.origin(['jobs', job.id, 'runs-on'])
  if (labels.some((l) => /^self-hosted$/i.test(l))) {
    if (job.value.container !== undefined)
      c.fact('sandbox.type', 'container', doc.origin(['jobs', job.id, 'container'], 'job container on a self-hosted runner'))
    else c.fact('sandbox.type', 'none', {...at, text: `${at.text} (self-hosted runner: no isolation shown)`})
    return
  }
  if (labels.every((l) => /^(ubuntu|windows|macos)-[\w.-]+$/i.test(l))) {
    c.fact('sandbox.type', 'vm', {...at, text: `${at.text} (GitHub-hosted runner: a fresh VM per job)`})
    c.fact('sandbox.ephemeral', true, at)
  }
}

interface Permissions {
  levels: Record<string, string>
  mode: 'explicit' | 'missing' | 'write-all' | 'read-all'
  at: Origin
  scopeAt(scope: string): Origin
}

function permissionsOf(doc: SourceDoc, wf: Record<string, unknown>, job: Job): Permissions {
  const jobLevel = job.value.permissions !== undefined
  const value = jobLevel ? job.value.permissions : wf.permissions
  const base: Path = jobLevel ? ['jobs', job.id, 'permissions'] : ['permissions']
  if (value === undefined || value === null) {
    const at = doc.origin(
      ['jobs', job.id],
      `job '${job.id}' has no permissions block (nor has the workflow): the repository default applies, possibly read/write on everything`,
    )
    return {levels: {...PERMISSIVE_DEFAULT}, mode: 'missing', at, scopeAt: () => at}
  }
  const at = doc.origin(base)
  if (value === 'write-all' || value === 'read-all') {
    const level = value === 'write-all' ? 'write' : 'read'
    return {levels: Object.fromEntries(GITHUB_SCOPES.map((s) => [s, s === 'models' ? 'read' : level])), mode: value, at, scopeAt: () => at}
  }
  const levels: Record<string, string> = Object.fromEntries(GITHUB_SCOPES.map((s) => [s, 'none']))
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === 'string') levels[k] = v
  return {
    levels,
    mode: 'explicit',
    at,
    scopeAt: (s) => (obj(value)[s] !== undefined ? doc.origin([...base, s]) : {...at, text: `permissions: ${s} not granted`}),
  }
}

/** The GitHub token the agent acts with. */
type GitHubToken =
  | {kind: 'github-token'; at: Origin}
  | {kind: 'pat'; name: string; at: Origin}
  | {kind: 'app'; step?: Record<string, unknown>; at: Origin}
  | {kind: 'claude-app'; at: Origin}

function tokenFrom(expr: string, at: Origin, steps: Record<string, unknown>[]): GitHubToken {
  if (/secrets\.GITHUB_TOKEN\b|github\.token\b/.test(expr)) return {kind: 'github-token', at}
  const app = /steps\.([\w-]+)\.outputs\.token/.exec(expr)
  if (app) return {kind: 'app', step: steps.find((s) => s.id === app[1]), at}
  const secret = /secrets\.([A-Za-z_]\w*)/.exec(expr)
  if (secret) return {kind: 'pat', name: secret[1], at}
  return {kind: 'github-token', at}
}

function tokenFacts(c: Collector, t: GitHubToken): {writes: boolean} {
  switch (t.kind) {
    case 'github-token':
      c.fact('identity.type', 'github-app', {...t.at, text: 'the agent acts with the GITHUB_TOKEN (github-actions[bot])'})
      c.fact('identity.dedicated', false, {
        ...t.at,
        text: 'the GITHUB_TOKEN acts as github-actions[bot], shared by every workflow of the repository',
      })
      return {writes: false}
    case 'pat':
      if (/BOT|MACHINE|SERVICE|AUTOMATION/i.test(t.name)) {
        c.fact('identity.type', 'shared-bot-account', {...t.at, text: `${t.at.text} (a personal access token of a machine user)`})
      } else {
        c.fact('identity.type', 'human-user-token', {
          ...t.at,
          text: `${t.at.text} (a personal access token acts as the person who made it)`,
        })
        c.fact('identity.humanUse', true, {...t.at, text: `${t.at.text} (the token's owner signs in as this identity)`})
      }
      c.fact('access.repositories.canMerge', true, {...t.at, text: `${t.at.text} (a personal access token can merge what its owner can)`})
      c.itemFact('identity.credentials', t.name, 'name', t.name, t.at)
      c.itemFact('identity.credentials', t.name, 'kind', 'personal-access-token', t.at)
      c.itemFact('identity.credentials', t.name, 'storage', 'ci-secret-store', t.at)
      c.fact('access.repositories.permission', 'write', {...t.at, text: `${t.at.text} (a personal access token has its owner's access)`})
      c.fact('access.repositories.branches', 'any-unprotected', t.at)
      return {writes: true}
    case 'app': {
      const name = 'github-app-token'
      c.fact('identity.type', 'github-app', t.at)
      c.itemFact('identity.credentials', name, 'name', name, t.at)
      c.itemFact('identity.credentials', name, 'kind', 'short-lived-token', t.at)
      c.itemFact('identity.credentials', name, 'ttl', 'PT1H', t.at)
      c.itemFact('identity.credentials', name, 'rotation', 'automatic', t.at)
      const w = obj(t.step?.with)
      const scopes: string[] = []
      for (const [k, v] of Object.entries(w)) {
        const m = /^permission-(.+)$/.exec(k)
        if (m && typeof v === 'string') scopes.push(`${m[1]}:${v}`)
      }
      if (scopes.length > 0) c.itemFact('identity.credentials', name, 'scopes', scopes.sort(), t.at)
      if (w['permission-contents'] === 'write') c.fact('access.repositories.permission', 'write', t.at)
      if (w['permission-workflows'] === 'write') c.fact('access.repositories.canEditWorkflows', true, t.at)
      if (str(w.owner) && w.repositories === undefined)
        c.fact('access.repositories.scope', 'organization', {
          ...t.at,
          text: `GitHub App token for owner ${str(w.owner)} (every repository of the installation)`,
        })
      else if (
        strings(
          str(w.repositories)
            ?.split(/[\s,]+/)
            .filter(Boolean) ?? [],
        ).length > 1
      )
        c.fact('access.repositories.scope', 'selected', t.at)
      return {writes: w['permission-contents'] === 'write' || scopes.length === 0}
    }
    case 'claude-app': {
      const at = {
        ...t.at,
        text: `${t.at.text} (no github_token: the Claude GitHub App token, which requests contents, pull requests, issues and workflows read and write)`,
      }
      c.fact('identity.type', 'github-app', at)
      c.itemFact('identity.credentials', 'claude-github-app', 'name', 'claude-github-app', at)
      c.itemFact('identity.credentials', 'claude-github-app', 'kind', 'short-lived-token', at)
      c.itemFact('identity.credentials', 'claude-github-app', 'rotation', 'automatic', at)
      c.fact('access.repositories.permission', 'write', at)
      c.fact('access.repositories.branches', 'any-unprotected', at)
      c.fact('access.repositories.canEditWorkflows', true, at)
      return {writes: true}
    }
  }
}

/** Secrets referenced where the agent gets them: its step's `with`/`env`, the job's and the workflow's `env`. */
function agentSecrets(
  doc: SourceDoc,
  wf: Record<string, unknown>,
  job: Job,
  stepIndex: number,
): {name: string; at: Origin; input?: string}[] {
  const out: {name: string; at: Origin; input?: string}[] = []
  const scan = (value: unknown, path: Path, input?: string): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(SECRET_REF))
        out.push({name: m[1], at: doc.origin(path, `${String(path[path.length - 1])}: \${{ secrets.${m[1]} }}`), input})
    } else if (isObject(value))
      for (const [k, v] of Object.entries(value)) scan(v, [...path, k], input ?? (path[path.length - 1] === 'with' ? k : undefined))
  }
  const step = job.steps[stepIndex]
  for (const [k, v] of Object.entries(obj(step.with))) scan(v, ['jobs', job.id, 'steps', stepIndex, 'with', k], k)
  scan(step.env, ['jobs', job.id, 'steps', stepIndex, 'env'])
  scan(job.value.env, ['jobs', job.id, 'env'])
  scan(wf.env, ['env'])
  return out
}

const ENV_NAME = (name: string): string | undefined =>
  /prod/i.test(name)
    ? 'production'
    : /stag|preprod|uat/i.test(name)
      ? 'staging'
      : /dev|test|qa|sandbox/i.test(name)
        ? 'development'
        : undefined

/** The model-auth inputs of agent actions and the credential kind they are. */
const AUTH_INPUTS: Record<string, string> = {
  anthropic_api_key: 'static-api-key',
  claude_code_oauth_token: 'personal-access-token',
  'openai-api-key': 'static-api-key',
  openai_api_key: 'static-api-key',
  gemini_api_key: 'static-api-key',
  google_api_key: 'static-api-key',
  'claude-api-key': 'static-api-key',
}

const CLAUDE_LEGACY_INPUTS = new Set([
  'allowed_tools',
  'disallowed_tools',
  'direct_prompt',
  'override_prompt',
  'custom_instructions',
  'mcp_config',
  'model',
  'anthropic_model',
  'fallback_model',
  'max_turns',
  'claude_env',
  'timeout_minutes',
  'mode',
  'system_prompt',
  'append_system_prompt',
])
const CLAUDE_ACTION_INPUTS = new Set([
  'prompt',
  'prompt_file',
  'claude_args',
  'settings',
  'anthropic_api_key',
  'claude_code_oauth_token',
  'anthropic_federation_rule_id',
  'anthropic_organization_id',
  'anthropic_service_account_id',
  'anthropic_workspace_id',
  'anthropic_audience',
  'use_bedrock',
  'use_vertex',
  'use_foundry',
  'github_token',
  'allowed_bots',
  'allowed_non_write_users',
  'include_comments_by_actor',
  'exclude_comments_by_actor',
  'additional_permissions',
  'use_commit_signing',
  'ssh_signing_key',
  'plugins',
  'plugin_marketplaces',
  'path_to_claude_code_executable',
  'path_to_bun_executable',
  'show_full_output',
  'display_report',
  'track_progress',
  'use_sticky_comment',
  'branch_prefix',
  'branch_name_template',
  'base_branch',
  'bot_id',
  'bot_name',
  'trigger_phrase',
  'assignee_trigger',
  'label_trigger',
  'experimental_allowed_domains',
  'classify_inline_comments',
  'allowed_domains',
  // legacy (beta / v0) inputs
  ...CLAUDE_LEGACY_INPUTS,
])
const CODEX_INPUTS = new Set([
  'prompt',
  'prompt-file',
  'openai-api-key',
  'responses-api-endpoint',
  'sandbox',
  'safety-strategy',
  'codex-args',
  'codex-version',
  'model',
  'effort',
  'output-file',
  'output-schema',
  'output-schema-file',
  'working-directory',
  'codex-home',
  'codex-user',
  'allow-users',
  'allow-bots',
  'allow-bot-users',
  // pre-v1 names
  'openai_api_key',
  'prompt_file',
  'output_file',
  'safety_strategy',
  'codex_user',
  'require_repo_write',
  'allow_bots',
  'codex_args',
  'codex_version',
])
const GEMINI_INPUTS = new Set([
  'prompt',
  'settings',
  'gemini_api_key',
  'google_api_key',
  'use_vertex_ai',
  'use_gemini_code_assist',
  'gcp_workload_identity_provider',
  'gcp_service_account',
  'gcp_project_id',
  'gcp_location',
  'gcp_token_format',
  'gcp_access_token_scopes',
  'gemini_cli_version',
  'gemini_model',
  'gemini_debug',
  'extensions',
  'upload_artifacts',
  'use_pnpm',
  'workflow_name',
  'github_pr_number',
  'github_issue_number',
])
const WORKFLOW_KEYS = new Set(['name', 'run-name', 'on', 'true', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'])

/** Tool rules from `--allowedTools "A,B"` or an `allowed_tools` input (commas or newlines; commas inside parentheses kept). */
export function splitToolList(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth = Math.max(0, depth - 1)
    if (depth === 0 && (ch === ',' || ch === '\n' || ch === ' ')) {
      if (cur.trim()) out.push(cur.trim())
      cur = ''
      continue
    }
    cur += ch
  }
  if (cur.trim()) out.push(cur.trim())
  return out.map((r) => r.replace(/^["']|["']$/g, '')).filter(Boolean)
}

/** Find the line of `needle` in the file at or after `from`; else `from`. */
function lineOf(doc: SourceDoc, needle: string, from: Origin): Origin {
  const lines = doc.text.split(/\r?\n/)
  const short = needle.length > 60 ? needle.slice(0, 60) : needle
  for (let i = Math.max(0, from.line - 1); i < Math.min(lines.length, from.line + 200); i++) {
    const col = lines[i].indexOf(short)
    if (col >= 0) return {file: from.file, line: i + 1, column: col + 1, text: needle}
  }
  return {...from, text: needle}
}

interface JobResult {
  agentJob: boolean
  /** The agent's output reaches the default branch or is merged without a human. */
  applied: boolean
}

/** What runs after the agent (same job, later steps; or jobs that need it): effects on the repository. */
function outputEffects(c: Collector, doc: SourceDoc, job: Job, fromStep: number): boolean {
  let applied = false
  job.steps.forEach((step, index) => {
    if (index < fromStep) return
    const uses = str(step.uses)
    if (uses) {
      if (index === fromStep) return
      const {name} = splitUses(uses)
      for (const a of OUTPUT_ACTIONS) {
        if (!a.re.test(name)) continue
        const at = doc.origin(['jobs', job.id, 'steps', index, 'uses'], `uses: ${uses} (${a.label})`)
        c.many(at, a.facts)
        if (a.facts.some(([p]) => p === 'access.repositories.canMerge')) applied = true
      }
      return
    }
    const run = str(step.run)
    if (!run) return
    // in the agent's own step, only what runs after the agent command
    let after = index > fromStep || !splitCommands(run).some((cmd) => findCliInvocation(cmd.text))
    for (const cmd of splitCommands(run)) {
      if (!after) {
        if (findCliInvocation(cmd.text)) after = true
        continue
      }
      const v = classifyCommand(cmd.text, true)
      for (const e of v.effects) {
        const at = scriptOrigin(doc, ['jobs', job.id, 'steps', index, 'run'], cmd.line, `${cmd.text} (${e.label})`)
        c.many(at, e.facts)
        if (
          e.facts.some(([p, val]) => (p === 'access.repositories.branches' && val === 'default-branch') || p === 'oversight.mergeApproval')
        )
          applied = true
      }
    }
  })
  return applied
}

function untrustedIn(text: string): {inputs: string[]; exprs: string[]} {
  const inputs = new Set<string>()
  const exprs: string[] = []
  for (const m of text.matchAll(EXPR)) {
    for (const [re, input] of UNTRUSTED_EXPRESSIONS) {
      if (!re.test(m[1])) continue
      exprs.push(m[0].replace(/\s+/g, ' '))
      if (input) inputs.add(input)
    }
  }
  return {inputs: [...inputs], exprs}
}

const UNTRUSTED_REF =
  /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs\/pull\/|github\.event\.workflow_run\.head_(sha|branch)|head\.repo\.full_name|steps\.[\w-]+\.outputs\.(head_?)?(sha|ref|branch)/
const UNTRUSTED_CHECKOUT_RUN = /gh\s+pr\s+checkout|git\s+fetch\b[^\n]*\bpull\/|git\s+checkout\b[^\n]*\$\{\{[^}]*(head|pull_request)/

function executesCode(cmd: string): boolean {
  const v = classifyCommand(cmd, true)
  if (v.install) return true
  const ws = shellWords(cmd)
  if (ws.length === 0) return false
  if (/^\.{0,2}\//.test(ws[0])) return true
  return (
    RUNNERS.some((r) => {
      const rw = r.split(' ')
      return (
        rw.length <= ws.length &&
        rw.every((w, i) => ws[i] === w) &&
        !['find', 'env', 'time', 'git', 'gh', 'command', 'timeout', 'sudo'].includes(r)
      )
    }) || /^npm\s+(test|start|t)\b/.test(cmd)
  )
}

/** Analyse one job that runs an agent. */
function analyzeAgentJob(c: Collector, w: WorkflowCtx, job: Job, agents: AgentStep[]): JobResult {
  const {doc, wf} = w
  const first = agents[0]
  const jobAt = doc.origin(['jobs', job.id], `job '${job.id}'`)
  const perms = permissionsOf(doc, wf, job)
  const level = (s: string): string => perms.levels[s] ?? 'none'
  const ifs = [str(job.value.if) ?? '', ...agents.map((a) => str(job.steps[a.index].if) ?? '')].join(' && ')
  const gate = gateOf(ifs)
  const gateAt = job.value.if !== undefined ? doc.origin(['jobs', job.id, 'if']) : jobAt
  // a step that checks the actor's permission before the agent
  const permissionStep = job.steps
    .slice(0, first.index)
    .some(
      (s) =>
        /check-user-permission|permission-check|actor-permission/i.test(str(s.uses) ?? '') ||
        /collaborators\/[^\s]*\/permission/.test(str(s.run) ?? ''),
    )
  const untrusted = new Set<string>()
  let anyAutonomy = false

  // Token and identity
  let writes = level('contents') === 'write'

  // Permissions of the GITHUB_TOKEN (always in the job: env, or .git/config after checkout)
  if (perms.mode === 'missing') {
    c.warn(
      'missing-permissions',
      perms.at,
      `job '${job.id}' runs an agent without a permissions block: the GITHUB_TOKEN gets the repository default, which may be read/write on everything`,
    )
  } else if (perms.mode === 'write-all') {
    c.warn('write-all-permissions', perms.at, `job '${job.id}' runs an agent with permissions: write-all`)
  }
  const scopes = Object.entries(perms.levels)
    .filter(([, l]) => l === 'read' || l === 'write')
    .map(([s, l]) => `${s}:${l}`)
    .sort()
  const tokenAt = {...perms.at, text: perms.mode === 'missing' ? perms.at.text : `GITHUB_TOKEN ${perms.at.text}`}
  c.itemFact('identity.credentials', 'GITHUB_TOKEN', 'name', 'GITHUB_TOKEN', tokenAt)
  c.itemFact('identity.credentials', 'GITHUB_TOKEN', 'kind', 'short-lived-token', tokenAt)
  c.itemFact('identity.credentials', 'GITHUB_TOKEN', 'ttl', 'PT24H', {
    ...tokenAt,
    text: 'the GITHUB_TOKEN expires when the job ends (24 hours at most)',
  })
  c.itemFact('identity.credentials', 'GITHUB_TOKEN', 'rotation', 'automatic', tokenAt)
  if (scopes.length > 0) c.itemFact('identity.credentials', 'GITHUB_TOKEN', 'scopes', scopes, tokenAt)
  c.fact('access.repositories.scope', 'single', {...tokenAt, text: 'the GITHUB_TOKEN reaches only this repository'})
  const contentsAt = perms.scopeAt('contents')
  c.fact('access.repositories.permission', level('contents') === 'write' ? 'write' : 'read', contentsAt)
  if (level('contents') === 'write') {
    c.fact('access.repositories.branches', 'any-unprotected', contentsAt)
    c.fact('access.repositories.canMerge', true, {...contentsAt, text: `${contentsAt.text} (merging a pull request needs contents: write)`})
  } else c.fact('access.repositories.canMerge', false, contentsAt)
  c.fact('access.repositories.canEditWorkflows', false, {...tokenAt, text: 'the GITHUB_TOKEN cannot change files in .github/workflows'})
  c.fact('access.cicd.triggerBuilds', level('actions') === 'write', perms.scopeAt('actions'))
  c.fact('access.cicd.readLogs', level('actions') !== 'none', perms.scopeAt('actions'))
  c.fact('access.cicd.editPipelines', false, {...tokenAt, text: 'the GITHUB_TOKEN cannot change workflow definitions'})
  c.fact('access.ticketing', level('issues') === 'write' ? 'write' : level('issues') === 'read' ? 'read' : 'none', perms.scopeAt('issues'))
  if (level('packages') === 'write') c.fact('access.packages', 'publish', perms.scopeAt('packages'))

  // Environment: its secrets come with it
  const environment = str(job.value.environment) ?? str(obj(job.value.environment).name)
  const envName = environment ? ENV_NAME(environment) : undefined
  if (environment) {
    const at = doc.origin(['jobs', job.id, 'environment'])
    if (envName === 'production')
      c.fact('secrets.readable', ['production-secrets'], {
        ...at,
        text: `environment: ${environment} (its secrets are available to the job)`,
      })
  }

  // Runner
  runnerFacts(c, doc, job)
  const hosted = (() => {
    const labels = strings(job.value['runs-on'])
    return labels.length > 0 && labels.every((l) => /^(ubuntu|windows|macos)-[\w.-]+$/i.test(l))
  })()
  const timeout = job.value['timeout-minutes']
  const stepTimeout = job.steps[first.index]['timeout-minutes']
  const ownTimeout = agents.some((a) => obj(job.steps[a.index].with).timeout_minutes !== undefined)
  if (ownTimeout) {
    // the agent action bounds its own session (legacy timeout_minutes)
  } else if (typeof stepTimeout === 'number')
    c.fact('oversight.sessionTimeout', `PT${stepTimeout}M`, doc.origin(['jobs', job.id, 'steps', first.index, 'timeout-minutes']))
  else if (typeof timeout === 'number') c.fact('oversight.sessionTimeout', `PT${timeout}M`, doc.origin(['jobs', job.id, 'timeout-minutes']))
  else
    c.fact('oversight.sessionTimeout', 'PT6H', {...jobAt, text: `job '${job.id}' sets no timeout-minutes (GitHub's default: 360 minutes)`})

  // Triggers, actors, untrusted content
  for (const ev of w.events) {
    const spec = EVENTS[ev.name]
    if (!spec) continue
    if (spec.trigger) c.fact('agent.triggers', [spec.trigger], ev.at)
    let actors = spec.actors
    let why = ev.at
    if (actors === 'anyone' && ev.types.length > 0 && ev.types.every((t) => MAINTAINER_TYPES.has(t))) {
      actors = 'collaborators'
      why = {...ev.at, text: `on: ${ev.name} types [${ev.types.join(', ')}] (only people with triage or write access cause these)`}
    }
    const allowsAll = agents.some((a) => a.kind === 'claude-action' || a.kind === 'codex-action') && allowsEveryone(job, agents)
    if (agents.every((a) => a.checksActor) && !allowsAll && actors === 'anyone') {
      actors = 'collaborators'
      why = {...first.at, text: `${first.at.text} (refuses actors without write access)`}
    }
    if (allowsAll) {
      actors = spec.actors
      why = allowsAll
    }
    if (gate.actors && ACTOR_ORDER.indexOf(gate.actors) < ACTOR_ORDER.indexOf(actors)) {
      actors = gate.actors
      why = {...gateAt, text: `if: ${ifs.replace(/^ && | && $/g, '').slice(0, 150)}`}
    }
    if (permissionStep && actors === 'anyone') {
      actors = 'collaborators'
      why = {...jobAt, text: 'a step checks the actor has write permission before the agent runs'}
    }
    c.fact('agent.triggerActors', actors, why)
    const inputs = spec.inputs.filter((i) => !(gate.sameRepo && i === 'pr-diffs-from-forks'))
    if (inputs.length > 0) {
      c.fact('agent.untrustedInputs', inputs, {...ev.at, text: `on: ${ev.name} (the agent reads content outsiders can write)`})
      for (const i of inputs) untrusted.add(i)
    }
  }
  if (gate.bot) {
    c.fact('agent.untrustedInputs', ['dependency-metadata'], {
      ...gateAt,
      text: 'runs for a bot (dependency updates carry upstream release notes)',
    })
    untrusted.add('dependency-metadata')
  }

  // Script injection in run: steps; untrusted checkout
  const privileged = w.events.some((e) => EVENTS[e.name]?.privileged && EVENTS[e.name].actors === 'anyone')
  let untrustedCheckout: Origin | undefined
  let executesAfterCheckout: Origin | undefined
  job.steps.forEach((step, index) => {
    const run = str(step.run)
    if (run) {
      for (const cmd of splitCommands(run)) {
        const found = untrustedIn(cmd.text)
        const at = scriptOrigin(doc, ['jobs', job.id, 'steps', index, 'run'], cmd.line, cmd.text)
        if (found.exprs.length > 0) {
          c.warn(
            'script-injection',
            at,
            `${found.exprs[0]} is expanded into a shell command: whoever writes it runs code in the agent's job (pass it through env: instead)`,
          )
          c.fact('tools.shell', 'unrestricted', {...at, text: `${found.exprs[0]} in run: (script injection)`})
          if (found.inputs.length > 0) c.fact('agent.untrustedInputs', found.inputs, at)
        }
        if (UNTRUSTED_CHECKOUT_RUN.test(cmd.text) && privileged) untrustedCheckout ??= at
        else if (untrustedCheckout && !executesAfterCheckout && executesCode(cmd.text)) executesAfterCheckout = at
      }
    }
    const uses = str(step.uses)
    if (uses && /^actions\/checkout$/i.test(splitUses(uses).name)) {
      const w2 = obj(step.with)
      const ref = `${str(w2.ref) ?? ''} ${str(w2.repository) ?? ''}`
      if (UNTRUSTED_REF.test(ref) && privileged)
        untrustedCheckout ??= doc.origin(['jobs', job.id, 'steps', index, 'with', w2.ref !== undefined ? 'ref' : 'repository'])
    } else if (uses?.startsWith('./') && untrustedCheckout && !executesAfterCheckout) {
      executesAfterCheckout = doc.origin(['jobs', job.id, 'steps', index, 'uses'])
    }
  })
  if (untrustedCheckout) {
    c.fact('agent.untrustedInputs', ['pr-diffs-from-forks'], {
      ...untrustedCheckout,
      text: `${untrustedCheckout.text} (checks out the pull request's code in a privileged workflow)`,
    })
    untrusted.add('pr-diffs-from-forks')
    c.warn(
      'untrusted-checkout',
      untrustedCheckout,
      'a privileged workflow (pull_request_target, workflow_run or a comment trigger) checks out pull request code: with secrets and a write token present, that code and any agent reading it are attacker-controlled',
    )
    if (executesAfterCheckout) {
      c.fact('tools.shell', 'unrestricted', {
        ...executesAfterCheckout,
        text: `${executesAfterCheckout.text} (runs the checked-out pull request code: a pwn request)`,
      })
    }
  }

  // Memory restored across runs
  job.steps.forEach((step, index) => {
    const uses = str(step.uses) ?? ''
    if (!/^actions\/(cache|cache\/restore|download-artifact)@/i.test(uses)) return
    const path = strings(obj(step.with).path).join(' ') || str(obj(step.with).path) || ''
    if (!/\.claude|\.gemini|\.codex|\.aider|memory|agent-state|conversation/i.test(path)) return
    const at = doc.origin(['jobs', job.id, 'steps', index, 'with', 'path'], `${uses} path: ${path}`)
    c.fact('memory.persistent', true, at)
    c.fact('memory.sources', ['conversation-history'], at)
    c.fact('memory.writableByUntrusted', untrusted.size > 0, {
      ...at,
      text: untrusted.size > 0 ? `${at.text} (the agent reads untrusted content and its memory is kept)` : at.text,
    })
  })

  // Hardened egress
  let egress: {hosts: string[]; at: Origin} | undefined
  job.steps.forEach((step, index) => {
    if (!/^step-security\/harden-runner@/i.test(str(step.uses) ?? '')) return
    const w2 = obj(step.with)
    if (str(w2['egress-policy']) !== 'block') return
    const hosts = (str(w2['allowed-endpoints']) ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((h) => h.replace(/:\d+$/, ''))
    egress = {hosts, at: doc.origin(['jobs', job.id, 'steps', index, 'with', 'egress-policy'], 'harden-runner egress-policy: block')}
  })
  if (hosted) {
    if (egress) {
      c.fact('sandbox.networkIsolated', true, egress.at)
      c.fact('tools.network', 'allowlist', egress.at)
      if (egress.hosts.length > 0) c.fact('tools.networkAllowlist', [...new Set(egress.hosts)].sort(), egress.at)
    } else
      c.fact('sandbox.networkIsolated', false, {
        ...doc.origin(['jobs', job.id, 'runs-on']),
        text: 'GitHub-hosted runner with open egress (no egress policy)',
      })
  }

  // Pinning of every action in the agent job
  job.steps.forEach((step, index) => {
    const uses = str(step.uses)
    if (!uses) return
    const at = doc.origin(['jobs', job.id, 'steps', index, 'uses'], `uses: ${uses}`)
    const {name, ref} = splitUses(uses)
    const pinned = uses.startsWith('./') || (ref !== undefined && SHA.test(ref)) || /^docker:\/\/.*@sha256:[a-f0-9]{64}$/.test(uses)
    c.tool({kind: 'action', name, pinned, ...at})
    if (!pinned)
      c.warn(
        'unpinned-action',
        at,
        `${uses} is not pinned to a commit SHA: whoever controls the tag or branch controls code in the agent's job`,
      )
  })

  // The agents themselves
  let readOnlyCandidate = !writes
  let plan = false
  let unrestrictedShell = false
  for (const agent of agents) {
    const step = job.steps[agent.index]
    const withs = obj(step.with)
    c.agent(agent.product, agent.at, agent.description)
    if (agent.pkg) {
      const version = /^@?[^@]+@(.+)$/.exec(agent.pkg)?.[1]
      const pinned = version !== undefined && /^\d+\.\d+\.\d+/.test(version)
      c.tool({kind: 'agent-cli', name: agent.pkg.replace(/(.)@.*$/, '$1'), pinned, ...agent.at})
      if (!pinned)
        c.warn(
          'unpinned-tool',
          agent.at,
          `${agent.pkg} runs through npx without an exact version: a new release runs in this job without review`,
        )
    }
    c.many(agent.at, [
      ['agent.product', agent.product],
      ['agent.runtime', 'ci'],
    ])
    // prompt injection through inputs and env the agent reads
    const promptish: [string, unknown][] = [
      ...['prompt', 'direct_prompt', 'override_prompt', 'custom_instructions', 'append_system_prompt', 'system_prompt'].map(
        (k): [string, unknown] => [k, withs[k]],
      ),
      ...Object.entries(obj(step.env)).map(([k, v]): [string, unknown] => [`env.${k}`, v]),
    ]
    for (const [k, v] of promptish) {
      const text = typeof v === 'string' ? v : ''
      const found = untrustedIn(text)
      if (found.exprs.length === 0) continue
      const at = k.startsWith('env.')
        ? doc.origin(['jobs', job.id, 'steps', agent.index, 'env', k.slice(4)])
        : doc.origin(['jobs', job.id, 'steps', agent.index, 'with', k])
      const loc = lineOf(doc, found.exprs[0].slice(0, 40), at)
      c.fact('agent.untrustedInputs', found.inputs.length > 0 ? found.inputs : ['pr-comments'], {
        ...loc,
        text: `${found.exprs[0]} in the agent's ${k}`,
      })
      for (const i of found.inputs) untrusted.add(i)
      c.warn('prompt-injection', loc, `${found.exprs[0]} goes into the agent's ${k}: whoever writes it can steer the agent`)
    }
    if (agent.args) {
      const found = untrustedIn(agent.args.join(' '))
      if (found.exprs.length > 0) {
        c.fact('agent.untrustedInputs', found.inputs.length > 0 ? found.inputs : ['pr-comments'], {
          ...agent.at,
          text: `${found.exprs[0]} in the agent's prompt`,
        })
        for (const i of found.inputs) untrusted.add(i)
      }
    }

    // secrets passed in
    for (const s of agentSecrets(doc, wf, job, agent.index)) {
      if (s.name === 'GITHUB_TOKEN') continue
      const cls = classifySecret(s.name)
      const kind = (s.input && AUTH_INPUTS[s.input]) ?? cls.kind
      c.itemFact('identity.credentials', s.name, 'name', s.name, s.at)
      c.itemFact('identity.credentials', s.name, 'kind', kind, s.at)
      c.itemFact('identity.credentials', s.name, 'storage', 'ci-secret-store', s.at)
      if (envName) c.itemFact('identity.credentials', s.name, 'environments', [envName], s.at)
      const guarded =
        agent.kind === 'codex-action' && (s.input === 'openai-api-key' || s.input === 'openai_api_key') && !codexKeyExposed(withs)
      if (!guarded) c.fact('secrets.readable', cls.readable, {...s.at, text: `${s.at.text} (passed to the agent)`})
      if (cls.packages) c.fact('access.packages', 'publish', s.at)
      if (s.name === 'CLAUDE_CODE_OAUTH_TOKEN' || s.input === 'claude_code_oauth_token') {
        c.warn(
          'personal-token',
          s.at,
          "claude_code_oauth_token is a personal Claude subscription token: the agent runs on a person's credential",
        )
      }
    }

    // OIDC / workload identity federation
    const wif = wifOf(job, agent, withs)
    if (wif) {
      const at = doc.origin(wif.path, wif.text)
      c.itemFact('identity.credentials', wif.name, 'name', wif.name, at)
      c.itemFact('identity.credentials', wif.name, 'kind', 'oidc-federated', at)
      c.itemFact('identity.credentials', wif.name, 'rotation', 'automatic', at)
      c.fact('identity.type', 'workload-identity', at)
      if (level('id-token') !== 'write') c.warn('oidc-without-id-token', at, `${wif.text} needs permissions: id-token: write`)
      if (wif.cloud)
        c.fact('secrets.readable', ['cloud-credentials'], {...at, text: `${wif.text} (cloud credentials in the job's environment)`})
    }

    // the agent's GitHub token
    let token: GitHubToken
    const ghInput = str(withs.github_token)
    if (agent.kind === 'claude-action')
      token = ghInput
        ? tokenFrom(ghInput, doc.origin(['jobs', job.id, 'steps', agent.index, 'with', 'github_token']), job.steps)
        : {kind: 'claude-app', at: agent.at}
    else {
      const envToken = [obj(step.env), obj(job.value.env), obj(wf.env)]
        .map((e) => str(e.GITHUB_TOKEN) ?? str(e.GH_TOKEN))
        .find((x) => x !== undefined)
      token = envToken
        ? tokenFrom(envToken, agent.at, job.steps)
        : ghInput
          ? tokenFrom(ghInput, agent.at, job.steps)
          : {kind: 'github-token', at: agent.at}
    }
    if (tokenFacts(c, token).writes) readOnlyCandidate = false
    if (token.kind === 'github-token') writes ||= level('contents') === 'write'

    // product-specific
    let summary: PolicySummary | undefined
    let autonomy: {value: string; at: Origin} | undefined
    switch (agent.kind) {
      case 'claude-action':
      case 'claude-base':
      case 'claude-review':
      case 'claude-cli': {
        const r = claudeAgent(c, doc, job, agent, withs)
        summary = r.summary
        if (r.plan) autonomy = {value: 'suggest-only', at: r.plan}
        else if (summary.bypass) autonomy = {value: 'autonomous', at: r.bypassAt ?? agent.at}
        if (summary.shell === 'unrestricted') unrestrictedShell = true
        break
      }
      case 'codex-action':
      case 'codex-cli': {
        const r = codexAgent(c, doc, job, agent, withs, hosted)
        if (r.readOnly) autonomy = {value: 'suggest-only', at: r.readOnly}
        unrestrictedShell = true
        break
      }
      case 'gemini-action':
      case 'gemini-cli': {
        const r = geminiAgent(c, doc, job, agent, withs)
        if (r.yolo) autonomy = {value: 'autonomous', at: r.yolo}
        unrestrictedShell ||= r.shell === 'unrestricted'
        break
      }
      case 'aider-cli':
      case 'aider-action': {
        const words = agent.args ?? shellWords(str(withs.args) ?? str(withs['aider-args']) ?? '')
        const o = aiderFlags(words, agent.at, 'ci')
        aiderFacts(c, o)
        const model = flagValues(words, '--model')[0] ?? str(withs.model)
        if (model) modelFacts(c, 'openai', model, agent.at)
        unrestrictedShell ||= o.yesAlways !== undefined
        break
      }
      case 'custom-action':
        break
    }
    if (autonomy?.value === 'suggest-only') plan = true
    if (autonomy) {
      c.fact('agent.autonomy', autonomy.value, autonomy.at)
      anyAutonomy = true
    }
    if (hosted && unrestrictedShell && agent.kind !== 'codex-action') {
      c.fact('sandbox.runsAsRoot', true, {...agent.at, text: `${agent.at.text} (GitHub-hosted runners give the job passwordless sudo)`})
    }
    if (
      withs.show_full_output === true ||
      withs.show_full_output === 'true' ||
      withs.gemini_debug === true ||
      withs.gemini_debug === 'true'
    ) {
      const key = withs.show_full_output !== undefined ? 'show_full_output' : 'gemini_debug'
      c.fact('secrets.redactedFromLogs', false, {
        ...doc.origin(['jobs', job.id, 'steps', agent.index, 'with', key]),
        text: `${key}: true (the agent's full output, which may hold secrets it read, goes to the log)`,
      })
    }
  }

  // What happens to the output
  const applied = outputEffects(c, doc, job, first.index)
  if (!anyAutonomy || !plan) {
    const readOnly = readOnlyCandidate && !applied
    c.fact(
      'agent.autonomy',
      readOnly ? 'suggest-only' : 'autonomous',
      readOnly
        ? {...contentsAt, text: `job '${job.id}' has a read-only token: the agent can only comment or hand its output to a reviewed step`}
        : {...first.at, text: `${first.at.text} (runs headless in CI: no human approves its actions)`},
    )
  }
  return {agentJob: true, applied}
}

/** An agent action's allow-everyone inputs, if any. */
function allowsEveryone(job: Job, agents: AgentStep[]): Origin | undefined {
  for (const a of agents) {
    const w = obj(job.steps[a.index].with)
    for (const key of ['allowed_non_write_users', 'allowed_bots', 'allow-users', 'allow_users']) {
      if (str(w[key])?.trim() === '*') return {...a.at, text: `${key}: '*' (anyone can start it)`}
    }
    if (w.require_repo_write === false || w.require_repo_write === 'false')
      return {...a.at, text: 'require_repo_write: false (anyone can start it)'}
  }
  return undefined
}

function codexKeyExposed(withs: Record<string, unknown>): boolean {
  const strategy = str(withs['safety-strategy']) ?? str(withs.safety_strategy) ?? 'drop-sudo'
  return strategy === 'unsafe' || strategy === 'read-only'
}

function wifOf(
  job: Job,
  agent: AgentStep,
  withs: Record<string, unknown>,
): {name: string; path: Path; text: string; cloud: boolean} | undefined {
  const stepPath = (k: string): Path => ['jobs', job.id, 'steps', agent.index, 'with', k]
  if (str(withs.anthropic_federation_rule_id))
    return {
      name: 'anthropic-workload-identity',
      path: stepPath('anthropic_federation_rule_id'),
      text: 'anthropic_federation_rule_id (workload identity federation)',
      cloud: false,
    }
  if (str(withs.gcp_workload_identity_provider))
    return {
      name: 'gcp-workload-identity',
      path: stepPath('gcp_workload_identity_provider'),
      text: 'gcp_workload_identity_provider (workload identity federation)',
      cloud: true,
    }
  for (let i = 0; i < agent.index; i++) {
    const s = job.steps[i]
    const uses = str(s.uses) ?? ''
    const w = obj(s.with)
    if (/^aws-actions\/configure-aws-credentials@/i.test(uses) && str(w['role-to-assume']))
      return {
        name: 'aws-oidc-role',
        path: ['jobs', job.id, 'steps', i, 'with', 'role-to-assume'],
        text: 'configure-aws-credentials role-to-assume (OIDC)',
        cloud: true,
      }
    if (/^google-github-actions\/auth@/i.test(uses) && str(w.workload_identity_provider))
      return {
        name: 'gcp-workload-identity',
        path: ['jobs', job.id, 'steps', i, 'with', 'workload_identity_provider'],
        text: 'google-github-actions/auth workload_identity_provider (OIDC)',
        cloud: true,
      }
    if (/^azure\/login@/i.test(uses) && str(w['client-id']) && !str(w['client-secret']) && !str(w.creds))
      return {
        name: 'azure-federated',
        path: ['jobs', job.id, 'steps', i, 'with', 'client-id'],
        text: 'azure/login with client-id and no secret (OIDC)',
        cloud: true,
      }
  }
  return undefined
}

/** Claude Code in a workflow: action inputs or CLI flags into a permission policy. */
function claudeAgent(
  c: Collector,
  doc: SourceDoc,
  job: Job,
  agent: AgentStep,
  withs: Record<string, unknown>,
): {summary: PolicySummary; plan?: Origin; bypassAt?: Origin} {
  const withPath = (k: string): Path => ['jobs', job.id, 'steps', agent.index, 'with', k]
  const policy: ClaudePolicy = emptyPolicy('ci', {...agent.at})
  const isAction = agent.uses !== undefined
  if (isAction) {
    const known = CLAUDE_ACTION_INPUTS
    const major = /^v(\d+)/.exec(agent.ref ?? '')
    const v1 = major !== null && Number(major[1]) >= 1
    for (const k of Object.keys(withs)) {
      const at = {file: doc.file, ...doc.keyAt(withPath(k))}
      if (agent.kind === 'claude-action' && !known.has(k))
        c.warn('unknown-input', at, `unknown input "${k}" for ${agent.uses}`, `with.${k}`)
      else if (agent.kind === 'claude-action' && v1 && CLAUDE_LEGACY_INPUTS.has(k)) {
        c.warn(
          'legacy-input',
          at,
          `"${k}" is a beta/v0 input of claude-code-action; ${agent.uses}@${agent.ref} reads prompt and claude_args instead`,
          `with.${k}`,
        )
      }
    }
  }
  const words = isAction ? shellWords(str(withs.claude_args) ?? '') : (agent.args ?? [])
  const argsAt = (needle: string): Origin =>
    isAction ? lineOf(doc, needle, doc.origin(withPath('claude_args'))) : {...agent.at, text: needle}
  for (const v of flagValues(words, '--allowedTools', '--allowed-tools'))
    for (const r of splitToolList(v)) policy.allow.push({value: r, at: argsAt(r)})
  for (const v of flagValues(words, '--disallowedTools', '--disallowed-tools'))
    for (const r of splitToolList(v)) policy.deny.push({value: r, at: argsAt(r)})
  for (const v of flagValues(words, '--permission-mode')) policy.modes.push({value: v, at: argsAt(`--permission-mode ${v}`)})
  if (hasFlag(words, '--dangerously-skip-permissions'))
    policy.modes.push({value: 'bypassPermissions', at: argsAt('--dangerously-skip-permissions')})
  for (const v of flagValues(words, '--add-dir')) policy.directories.push({value: v, at: argsAt(`--add-dir ${v}`)})
  for (const v of flagValues(words, '--model')) modelFacts(c, 'anthropic', v, argsAt(`--model ${v}`))
  let budget: Origin | undefined
  for (const v of flagValues(words, '--max-turns')) budget = argsAt(`--max-turns ${v}`)
  for (const v of flagValues(words, '--mcp-config')) mcpConfig(c, doc, v, argsAt('--mcp-config'))
  if (isAction) {
    const legacy = (k: string): string | undefined => str(withs[k])
    const at = (k: string): Origin => doc.origin(withPath(k))
    if (legacy('allowed_tools'))
      for (const r of splitToolList(legacy('allowed_tools')!)) policy.allow.push({value: r, at: lineOf(doc, r, at('allowed_tools'))})
    if (legacy('disallowed_tools'))
      for (const r of splitToolList(legacy('disallowed_tools')!)) policy.deny.push({value: r, at: lineOf(doc, r, at('disallowed_tools'))})
    if (legacy('model') ?? legacy('anthropic_model'))
      modelFacts(c, 'anthropic', (legacy('model') ?? legacy('anthropic_model'))!, at(legacy('model') ? 'model' : 'anthropic_model'))
    if (withs.max_turns !== undefined) budget = at('max_turns')
    if (typeof withs.timeout_minutes === 'number' || /^\d+$/.test(legacy('timeout_minutes') ?? ''))
      c.fact('oversight.sessionTimeout', `PT${Number(withs.timeout_minutes)}M`, at('timeout_minutes'))
    if (legacy('mcp_config')) mcpConfig(c, doc, legacy('mcp_config')!, at('mcp_config'))
    const settings = legacy('settings')
    if (settings) {
      const sAt = at('settings')
      if (settings.trim().startsWith('{')) {
        try {
          const parsed = parseJsoncDoc({path: doc.file, text: settings})
          if (isObject(parsed.value))
            addSettings(parsed.value, policy, c, (p, t) => lineOf(doc, t ?? String(p[p.length - 1] ?? 'settings'), sAt), {
              file: doc.file,
              scope: 'workflow',
            })
        } catch (error) {
          if (!(error instanceof InputError)) throw error
          c.warn('invalid-config', sAt, `the settings input is not valid JSON: ${error.diagnostics[0]?.message ?? 'syntax error'}`)
        }
      } else {
        c.warn(
          'file-not-read',
          sAt,
          `settings come from ${settings.trim()}, which leash does not read: the permissions in it are not in the observed manifest`,
        )
      }
    }
    for (const key of ['plugin_marketplaces']) {
      for (const m of strings(str(withs[key])?.split(/[\s,]+/) ?? [])) {
        if (m && !/anthropics\//.test(m))
          c.warn('third-party-plugins', at(key), `plugin marketplace ${m} is third-party code run inside the agent's job`)
      }
    }
  }
  c.fact('oversight.budgets', budget !== undefined, budget ?? {...agent.at, text: `${agent.at.text} (no --max-turns: no limit on turns)`})
  const summary = analyzeClaudePolicy(policy, c)
  const planMode = policy.modes.find((m) => m.value === 'plan')
  return {summary, plan: summary.plan ? planMode?.at : undefined, bypassAt: policy.modes.find((m) => m.value === 'bypassPermissions')?.at}
}

/** An inline MCP configuration (JSON string) passed to an agent in a workflow. */
function mcpConfig(c: Collector, doc: SourceDoc, value: string, at: Origin): void {
  const text = value.trim()
  if (!text.startsWith('{')) {
    if (text !== '.mcp.json')
      c.warn('file-not-read', at, `MCP servers come from ${text}, which leash does not read: they are not in the observed manifest`)
    return
  }
  try {
    const parsed = parseJsoncDoc({path: doc.file, text})
    const servers = obj(obj(parsed.value).mcpServers)
    for (const name of Object.keys(servers)) {
      analyzeMcpServer(c, name, servers[name], {
        client: 'claude',
        base: ['mcpServers'],
        originOf: (p, t) => lineOf(doc, `"${String(p[p.length - 1] ?? name)}"`, {...at, text: t ?? at.text}),
      })
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    c.warn('invalid-config', at, `the MCP configuration is not valid JSON: ${error.diagnostics[0]?.message ?? 'syntax error'}`)
  }
}

function codexAgent(
  c: Collector,
  doc: SourceDoc,
  job: Job,
  agent: AgentStep,
  withs: Record<string, unknown>,
  hosted: boolean,
): {readOnly?: Origin} {
  const withPath = (k: string): Path => ['jobs', job.id, 'steps', agent.index, 'with', k]
  const isAction = agent.uses !== undefined
  const words = isAction ? shellWords(str(withs['codex-args']) ?? str(withs.codex_args) ?? '') : (agent.args ?? [])
  const mode = codexFlags(words, isAction && withs['codex-args'] !== undefined ? doc.origin(withPath('codex-args')) : agent.at, 'ci')
  if (isAction) {
    for (const k of Object.keys(withs)) {
      if (!CODEX_INPUTS.has(k))
        c.warn('unknown-input', {file: doc.file, ...doc.keyAt(withPath(k))}, `unknown input "${k}" for ${agent.uses}`, `with.${k}`)
    }
    const sandbox = str(withs.sandbox)
    if (sandbox && !mode.bypass) mode.sandbox = {value: sandbox, at: doc.origin(withPath('sandbox'))}
    if (!mode.sandbox && !mode.bypass)
      mode.sandbox = {value: 'workspace-write', at: {...agent.at, text: `${agent.at.text} (sandbox defaults to workspace-write)`}}
    const strategyKey = withs['safety-strategy'] !== undefined ? 'safety-strategy' : 'safety_strategy'
    const strategy = (str(withs[strategyKey]) ?? 'drop-sudo').replace(/_/g, '-')
    const sAt =
      withs[strategyKey] !== undefined
        ? doc.origin(withPath(strategyKey))
        : {...agent.at, text: `${agent.at.text} (safety-strategy defaults to drop-sudo)`}
    if (strategy === 'unsafe' || strategy === 'read-only') {
      c.warn(
        'codex-safety',
        sAt,
        `safety-strategy: ${strategy} keeps sudo: the agent can read the OpenAI API key from memory and change the runner`,
      )
      if (hosted) c.fact('sandbox.runsAsRoot', true, {...sAt, text: `safety-strategy: ${strategy} (sudo kept)`})
    } else {
      c.fact('sandbox.runsAsRoot', false, {...sAt, text: `safety-strategy: ${strategy} (Codex runs without sudo)`})
    }
    const version = str(withs['codex-version']) ?? str(withs.codex_version)
    const vAt = version
      ? doc.origin(withPath(withs['codex-version'] !== undefined ? 'codex-version' : 'codex_version'))
      : {...agent.at, text: `${agent.at.text} (no codex-version: the newest Codex CLI)`}
    c.tool({kind: 'agent-cli', name: '@openai/codex', pinned: version !== undefined && /^\d+\.\d+\.\d+/.test(version), ...vAt})
    const model = str(withs.model)
    if (model) modelFacts(c, 'openai', model, doc.origin(withPath('model')))
  }
  for (const v of flagValues(words, '--model', '-m')) modelFacts(c, 'openai', v, {...agent.at, text: `--model ${v}`})
  codexModeFacts(c, mode)
  const sandbox = mode.bypass ? 'danger-full-access' : (mode.sandbox?.value ?? 'workspace-write')
  if (sandbox === 'danger-full-access')
    c.warn('agent-full-access', mode.bypass ?? mode.sandbox!.at, 'Codex runs with danger-full-access: no sandbox around its commands')
  c.fact('oversight.budgets', false, {...agent.at, text: `${agent.at.text} (no turn or cost limit)`})
  return {readOnly: sandbox === 'read-only' ? mode.sandbox?.at : undefined}
}

function geminiAgent(
  c: Collector,
  doc: SourceDoc,
  job: Job,
  agent: AgentStep,
  withs: Record<string, unknown>,
): {yolo?: Origin; shell: string} {
  const withPath = (k: string): Path => ['jobs', job.id, 'steps', agent.index, 'with', k]
  const isAction = agent.uses !== undefined
  let yolo: Origin | undefined
  let settings: Record<string, unknown> = {}
  let settingsAt = agent.at
  if (isAction) {
    for (const k of Object.keys(withs)) {
      if (!GEMINI_INPUTS.has(k))
        c.warn('unknown-input', {file: doc.file, ...doc.keyAt(withPath(k))}, `unknown input "${k}" for ${agent.uses}`, `with.${k}`)
    }
    yolo = {...agent.at, text: `${agent.at.text} (run-gemini-cli always runs gemini --yolo)`}
    const raw = str(withs.settings)
    if (raw) {
      settingsAt = doc.origin(withPath('settings'))
      try {
        const parsed = parseJsoncDoc({path: doc.file, text: raw})
        if (isObject(parsed.value)) settings = parsed.value
      } catch (error) {
        if (!(error instanceof InputError)) throw error
        c.warn('invalid-config', settingsAt, `the settings input is not valid JSON: ${error.diagnostics[0]?.message ?? 'syntax error'}`)
      }
    }
    const version = str(withs.gemini_cli_version)
    const vAt = version
      ? doc.origin(withPath('gemini_cli_version'))
      : {...agent.at, text: `${agent.at.text} (gemini_cli_version defaults to latest)`}
    c.tool({kind: 'agent-cli', name: '@google/gemini-cli', pinned: version !== undefined && /^\d+\.\d+\.\d+/.test(version), ...vAt})
    if (!version || version === 'latest')
      c.warn('unpinned-tool', vAt, 'the Gemini CLI version is not pinned (latest): a new release runs in this job without review')
    const model = str(withs.gemini_model)
    if (model) modelFacts(c, 'google', model, doc.origin(withPath('gemini_model')))
  } else {
    const words = agent.args ?? []
    if (hasFlag(words, '--yolo', '-y')) yolo = {...agent.at, text: '--yolo'}
    for (const v of flagValues(words, '--approval-mode')) if (v === 'yolo') yolo = {...agent.at, text: '--approval-mode=yolo'}
    for (const v of flagValues(words, '--allowed-tools')) {
      const list = splitToolList(v)
      settings = {...settings, tools: {...obj(settings.tools), allowed: [...strings(obj(settings.tools).allowed), ...list]}}
    }
    if (hasFlag(words, '--sandbox', '-s')) settings = {...settings, tools: {...obj(settings.tools), sandbox: true}}
    for (const v of flagValues(words, '--model', '-m')) modelFacts(c, 'google', v, {...agent.at, text: `--model ${v}`})
  }
  const verdict = analyzeGeminiSettings(
    settings,
    c,
    (p, t) =>
      isAction && withs.settings ? lineOf(doc, t ?? String(p[p.length - 1] ?? ''), settingsAt) : {...agent.at, text: t ?? agent.at.text},
    {context: 'ci', yolo, base: agent.at},
  )
  if (!yolo)
    c.fact('agent.autonomy', 'autonomous', {
      ...agent.at,
      text: `${agent.at.text} (headless: tools that need confirmation are refused, the rest run unattended)`,
    })
  return {yolo, shell: verdict.shell}
}

/** `.github/workflows/copilot-setup-steps.yml`: the Copilot coding agent's environment. */
function analyzeCopilot(c: Collector, w: WorkflowCtx, job: Job): void {
  const {doc} = w
  const at = doc.origin(['jobs', job.id], `job '${job.id}' (Copilot coding agent setup steps)`)
  c.agent('copilot-coding-agent', at, "Copilot coding agent (job 'copilot-setup-steps')")
  c.many(at, [
    ['agent.product', 'copilot-coding-agent'],
    ['agent.runtime', 'ci'],
  ])
  const product = (text: string): Origin => ({...at, text})
  c.fact('agent.autonomy', 'autonomous', product('the Copilot coding agent works on its own and opens a pull request'))
  c.fact(
    'agent.triggers',
    ['chat', 'issue-comment', 'issue-opened'],
    product('started by assigning an issue, from Copilot Chat, or by mentioning @copilot'),
  )
  c.fact('agent.triggerActors', 'collaborators', product('only people with write access can assign or mention Copilot'))
  c.fact('agent.untrustedInputs', ['issue-bodies', 'pr-comments'], product('it works from the issue and the pull request comments'))
  c.fact('identity.type', 'github-app', product('Copilot acts with its own token (copilot-swe-agent)'))
  c.fact('access.repositories.permission', 'write', product('Copilot pushes commits to its branch'))
  c.fact('access.repositories.branches', 'feature-only', product('Copilot pushes only to copilot/* branches'))
  c.fact('access.repositories.canMerge', false, product('Copilot cannot merge or approve its own pull requests'))
  c.fact('access.repositories.canApproveOwnChanges', false, product('Copilot cannot merge or approve its own pull requests'))
  c.fact('tools.shell', 'unrestricted', product('the agent runs commands in its Actions environment'))
  runnerFacts(c, doc, job)
  job.steps.forEach((step, index) => {
    const uses = str(step.uses)
    if (uses) {
      const u = doc.origin(['jobs', job.id, 'steps', index, 'uses'], `uses: ${uses}`)
      const {ref} = splitUses(uses)
      const pinned = uses.startsWith('./') || (ref !== undefined && SHA.test(ref))
      c.tool({kind: 'action', name: splitUses(uses).name, pinned, ...u})
      if (!pinned) c.warn('unpinned-action', u, `${uses} is not pinned to a commit SHA: it runs in the Copilot agent's environment`)
    }
    const text = JSON.stringify([step.with ?? {}, step.env ?? {}, step.run ?? ''])
    for (const m of text.matchAll(SECRET_REF)) {
      const sAt = lineOf(doc, `secrets.${m[1]}`, doc.origin(['jobs', job.id, 'steps', index]))
      c.fact('secrets.readable', classifySecret(m[1]).readable, {
        ...sAt,
        text: `secrets.${m[1]} in a setup step (runs in the agent's environment before it starts)`,
      })
    }
  })
  const known = new Set(['steps', 'permissions', 'runs-on', 'services', 'snapshot', 'timeout-minutes', 'container', 'name', 'environment'])
  warnUnknownKeys(c, doc, ['jobs', job.id], job.value, known, 'key (Copilot honours only some job keys)')
}

/** One workflow file. */
export function readWorkflow(file: ConfigFile, c: Collector): void {
  let doc: SourceDoc
  try {
    doc = parseYamlDoc(file)
  } catch (error) {
    if (error instanceof InputError) {
      c.diagnostics(error.diagnostics.map((d) => ({...d, message: `${d.message}; the workflow is ignored`})))
      return
    }
    throw error
  }
  if (!isObject(doc.value)) {
    c.warn('invalid-config', {file: doc.file, ...doc.at([])}, 'a workflow must be a YAML mapping; the file is ignored')
    return
  }
  const wf = doc.value
  const jobsValue = wf.jobs
  if (!isObject(jobsValue)) {
    c.warn('invalid-config', doc.origin(jobsValue === undefined ? [] : ['jobs']), 'a workflow needs a jobs mapping; the file is ignored')
    return
  }
  const w: WorkflowCtx = {doc, file: file.path, wf, events: parseEvents(doc, wf)}
  const jobs: Job[] = Object.entries(jobsValue)
    .filter(([, v]) => isObject(v))
    .map(([id, v]) => ({
      id,
      value: v as Record<string, unknown>,
      steps: (Array.isArray(obj(v).steps) ? (obj(v).steps as unknown[]) : []).map((s) => obj(s)),
    }))
  const isCopilot = /(^|\/)copilot-setup-steps\.ya?ml$/.test(file.path)
  const agentJobs = new Set<string>()
  let anyAgent = false
  for (const job of jobs) {
    if (isCopilot && job.id === 'copilot-setup-steps') {
      analyzeCopilot(c, w, job)
      anyAgent = true
      continue
    }
    const agents = detectAgentSteps(doc, job)
    // agent CLI installs (pinning)
    job.steps.forEach((step, index) => {
      const run = str(step.run)
      if (!run) return
      for (const cmd of splitCommands(run)) {
        const m = CLI_INSTALL.exec(cmd.text)
        if (!m) continue
        const name = m[1] ?? m[3]
        const version = (m[2] ?? m[4])?.replace(/^(@|==)/, '')
        const at = scriptOrigin(doc, ['jobs', job.id, 'steps', index, 'run'], cmd.line, cmd.text)
        const pinned = version !== undefined && /^\d+\.\d+\.\d+/.test(version)
        c.tool({kind: 'agent-cli', name, pinned, ...at})
        if (!pinned)
          c.warn('unpinned-tool', at, `${name} is installed without an exact version: a new release runs in this job without review`)
      }
    })
    if (agents.length === 0) continue
    anyAgent = true
    agentJobs.add(job.id)
    // each job in a scratch collector, so that a hardened egress policy can cap its network facts
    const jc = new Collector()
    analyzeAgentJob(jc, w, job, agents)
    merge(c, jc)
  }
  if (!anyAgent) return
  warnUnknownKeys(c, doc, [], wf, WORKFLOW_KEYS, 'workflow key')
  // jobs that need an agent job take its output somewhere
  const needs = (j: Job): string[] => strings(j.value.needs)
  let grew = true
  const downstream = new Set<string>()
  while (grew) {
    grew = false
    for (const j of jobs) {
      if (agentJobs.has(j.id) || downstream.has(j.id)) continue
      if (needs(j).some((n) => agentJobs.has(n) || downstream.has(n))) {
        downstream.add(j.id)
        grew = true
      }
    }
  }
  for (const j of jobs) {
    if (!downstream.has(j.id)) continue
    const jc = new Collector()
    const applied = outputEffects(jc, doc, j, -1)
    merge(c, jc)
    if (applied) {
      c.fact('agent.autonomy', 'autonomous', {
        ...doc.origin(['jobs', j.id]),
        text: `job '${j.id}' takes the agent's output to the default branch or merges it without a human`,
      })
    }
  }
}

function merge(into: Collector, from: Collector): void {
  // a job behind a block egress policy: network facts are capped to the allowlist
  const egress = from.facts.find((f) => f.path === 'sandbox.networkIsolated' && f.value === true && /harden-runner/.test(f.text))
  // the agent's own sandbox (Codex) isolates its network even on a runner with open egress
  const isolated = from.facts.some((f) => f.path === 'sandbox.networkIsolated' && f.value === true)
  for (const f of from.facts) {
    if (isolated && f.path === 'sandbox.networkIsolated' && f.value === false && /open egress/.test(f.text)) continue
    if (egress && f.path === 'tools.network' && f.value === 'unrestricted')
      into.facts.push({...f, value: 'allowlist', text: `${f.text} (capped by harden-runner egress-policy: block)`})
    else into.facts.push(f)
  }
  into.warnings.push(...from.warnings)
  into.agents.push(...from.agents)
  into.tools.push(...from.tools)
  into.surfaces.push(...from.surfaces)
}
