/**
 * Cursor: `.cursor/environment.json` (cloud/background agents: the machine they run on) and
 * `.cursor/cli.json` (Cursor CLI permissions: Shell(…), Read(…), Write(…), Mcp(…)).
 * Background agents' secrets and egress settings live in the Cursor dashboard, not here.
 */
import {InputError} from '../errors.js'
import type {Collector, Origin} from './collector.js'
import {parseRule} from './claude.js'
import {classifyCommand} from './shell.js'
import {isObject, obj, parseJsoncDoc, problemsOf, str, strings, type SourceDoc} from './source.js'
import type {ConfigFile} from './types.js'
import {warnUnknownKeys} from './unknown.js'

const ENVIRONMENT_KEYS = new Set([
  '$schema',
  'snapshot',
  'install',
  'start',
  'terminals',
  'build',
  'ports',
  'user',
  'agentCanUpdateSnapshot',
  'name',
  'repositoryDependencies',
])
const CLI_KEYS = new Set(['$schema', 'permissions', 'version'])

function parse(file: ConfigFile, c: Collector, what: string): SourceDoc | undefined {
  try {
    const doc = parseJsoncDoc(file)
    c.diagnostics(problemsOf(doc))
    if (!isObject(doc.value)) {
      c.warn('invalid-config', {file: doc.file, ...doc.at([])}, `${what} must be a JSON object; the file is ignored`)
      return undefined
    }
    return doc
  } catch (error) {
    if (error instanceof InputError) {
      c.diagnostics(error.diagnostics.map((d) => ({...d, message: `${d.message}; the file is ignored`})))
      return undefined
    }
    throw error
  }
}

/** `.cursor/environment.json`: a Cursor background agent's machine. */
export function readCursorEnvironment(file: ConfigFile, c: Collector): void {
  const doc = parse(file, c, 'a Cursor environment')
  if (!doc) return
  const env = doc.value as Record<string, unknown>
  warnUnknownKeys(c, doc, [], env, ENVIRONMENT_KEYS, 'environment.json key')
  const at = doc.origin([], `Cursor background agent environment (${file.path})`)
  c.agent('cursor', at, 'Cursor background agent environment')
  c.many(at, [
    ['agent.product', 'cursor'],
    ['agent.runtime', 'hosted-service'],
    ['sandbox.type', 'hosted-isolated'],
  ])
  c.fact('agent.autonomy', 'autonomous', {...at, text: 'Cursor background agents work without step-by-step approval'})
  c.fact('tools.shell', 'unrestricted', {...at, text: 'Cursor background agents run terminal commands without approval'})
  c.fact('tools.fileSystem', 'host', {...at, text: 'the agent has the whole remote machine'})
  c.fact('tools.packageInstall', 'any', {...at, text: 'the agent can install packages on its machine'})
  if (env.agentCanUpdateSnapshot === true) {
    const o = doc.origin(['agentCanUpdateSnapshot'])
    c.fact('sandbox.ephemeral', false, o)
    c.fact('memory.persistent', true, {...o, text: `${o.text} (what one session installs, later sessions start from)`})
  } else {
    c.fact(
      'sandbox.ephemeral',
      true,
      env.agentCanUpdateSnapshot === false ? doc.origin(['agentCanUpdateSnapshot']) : {...at, text: 'each agent starts from the snapshot'},
    )
  }
  const user = str(env.user)
  if (user !== undefined) c.fact('sandbox.runsAsRoot', user === 'root', doc.origin(['user']))
}

/** `.cursor/cli.json`: Cursor CLI permissions. */
export function readCursorCli(file: ConfigFile, c: Collector): void {
  const doc = parse(file, c, 'a Cursor CLI configuration')
  if (!doc) return
  const cfg = doc.value as Record<string, unknown>
  warnUnknownKeys(c, doc, [], cfg, CLI_KEYS, 'cli.json key')
  const at = doc.origin([], `Cursor CLI permissions (${file.path})`)
  c.agent('cursor', at, 'Cursor CLI project permissions')
  c.many(at, [
    ['agent.product', 'cursor'],
    ['agent.runtime', 'developer-workstation'],
  ])
  const perms = obj(cfg.permissions)
  const allow = strings(perms.allow).map((v, i) => ({value: v, at: doc.origin(['permissions', 'allow', i], v)}))
  const deny = strings(perms.deny).map((v, i) => ({value: v, at: doc.origin(['permissions', 'deny', i], v)}))
  const shellDenied = deny.find((r) => {
    const {tool, spec} = parseRule(r.value)
    return tool === 'Shell' && (spec === undefined || spec === '*' || spec === '**')
  })
  let anyShell = false
  const reach = (spec: string): 'home' | 'host' | undefined =>
    spec.startsWith('/') && !spec.startsWith('./') ? 'host' : spec.startsWith('~') ? 'home' : spec.startsWith('../') ? 'home' : undefined
  for (const r of allow) {
    const {tool, spec} = parseRule(r.value)
    if (tool === 'Shell' && !shellDenied) {
      anyShell = true
      const cmd = spec ?? '*'
      const v = classifyCommand(cmd === '*' || cmd === '**' ? '*' : `${cmd} *`)
      const o: Origin = r.at
      if (v.arbitrary) {
        c.fact('tools.shell', 'unrestricted', o)
        c.fact('tools.fileSystem', 'host', o)
      } else {
        c.fact('tools.shell', 'allowlist', o)
        c.fact('tools.shellAllowlist', [cmd], o)
      }
      if (v.network) c.fact('tools.network', 'unrestricted', o)
      if (v.install) c.fact('tools.packageInstall', v.install, o)
      for (const e of v.effects) c.many({...o, text: `${r.value} (${e.label})`}, e.facts)
    } else if ((tool === 'Read' || tool === 'Write') && spec) {
      const where = reach(spec)
      if (where) c.fact('tools.fileSystem', where, r.at)
    }
  }
  if (shellDenied) c.fact('tools.shell', 'none', shellDenied.at)
  else if (!anyShell) c.fact('tools.shell', 'allowlist', {...at, text: 'no Shell allow rule: commands need approval'})
  c.fact('tools.fileSystem', 'workspace', {...at, text: 'Cursor CLI edits the project folder'})
  const envDeny = deny.find((r) => parseRule(r.value).tool === 'Read' && /\.env/.test(parseRule(r.value).spec ?? ''))
  if (envDeny) c.fact('secrets.envFilesBlocked', true, envDeny.at)
  else c.fact('secrets.envFilesBlocked', false, {...at, text: 'no Read deny rule for .env files'})
  c.fact('agent.autonomy', 'supervised', {...at, text: 'Cursor CLI asks before commands that no rule allows'})
}
