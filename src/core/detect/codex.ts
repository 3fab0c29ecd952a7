/**
 * OpenAI Codex: `.codex/config.toml` (approval policy, sandbox mode, MCP servers, profiles) and
 * the same settings from the command line (`codex exec --full-auto`, `--yolo`, `-c key=value`).
 */
import type {Path} from '../paths.js'
import type {Collector, Origin} from './collector.js'
import {analyzeMcpServer} from './mcp.js'
import {modelFacts} from './model.js'
import {flagValues, hasFlag} from './shell.js'
import {isObject, obj, parseTomlDoc, str, strings, type SourceDoc} from './source.js'
import type {ConfigFile} from './types.js'
import {warnUnknownKeys} from './unknown.js'

const TOP_KEYS = new Set([
  'model',
  'model_provider',
  'model_providers',
  'model_reasoning_effort',
  'model_reasoning_summary',
  'model_verbosity',
  'model_context_window',
  'model_max_output_tokens',
  'model_auto_compact_token_limit',
  'model_supports_reasoning_summaries',
  'review_model',
  'approval_policy',
  'approvals_reviewer',
  'sandbox_mode',
  'sandbox_workspace_write',
  'default_permissions',
  'permissions',
  'shell_environment_policy',
  'mcp_servers',
  'mcp_oauth_credentials_store',
  'profiles',
  'profile',
  'projects',
  'notify',
  'instructions',
  'developer_instructions',
  'experimental_instructions_file',
  'model_instructions_file',
  'file_opener',
  'hide_agent_reasoning',
  'show_raw_agent_reasoning',
  'history',
  'tui',
  'tools',
  'features',
  'web_search',
  'disable_response_storage',
  'preferred_auth_method',
  'forced_login_method',
  'forced_chatgpt_workspace_id',
  'chatgpt_base_url',
  'otel',
  'project_doc_max_bytes',
  'project_doc_fallback_filenames',
  'windows_wsl_setup_acknowledged',
  'hooks',
  'tool_output_token_limit',
  'experimental_use_rmcp_client',
  'windows',
  'analytics',
  'feedback',
  'check_for_update_on_startup',
  'cli_auth_credentials_store',
  'skills',
  'agents',
  'plan_mode_reasoning_effort',
  'personality',
])
const PROFILE_KEYS = new Set([
  'model',
  'model_provider',
  'model_reasoning_effort',
  'model_reasoning_summary',
  'model_verbosity',
  'approval_policy',
  'sandbox_mode',
  'sandbox_workspace_write',
  'shell_environment_policy',
  'tools',
  'features',
  'web_search',
  'experimental_instructions_file',
  'chatgpt_base_url',
  'include_apply_patch_tool',
  'default_permissions',
  'personality',
])

export interface CodexMode {
  context: 'workstation' | 'ci'
  approval?: {value: string; at: Origin}
  sandbox?: {value: string; at: Origin}
  network?: {value: boolean; at: Origin}
  writableRoots: {value: string; at: Origin}[]
  /** --dangerously-bypass-approvals-and-sandbox / --yolo */
  bypass?: Origin
  base: Origin
}

const APPROVAL_AUTONOMY: Record<string, string> = {
  never: 'autonomous',
  'on-failure': 'autonomous',
  'on-request': 'supervised',
  untrusted: 'supervised',
}

/** Facts from Codex's approval policy and sandbox mode. */
export function codexModeFacts(c: Collector, m: CodexMode): void {
  const sandbox = m.bypass
    ? {value: 'danger-full-access', at: m.bypass}
    : (m.sandbox ?? {
        value: m.context === 'ci' ? 'workspace-write' : 'workspace-write',
        at: {...m.base, text: 'sandbox_mode not set (default: workspace-write)'},
      })
  const approval = m.bypass ? {value: 'never', at: m.bypass} : m.approval
  if (m.context === 'workstation') {
    if (approval) c.fact('agent.autonomy', APPROVAL_AUTONOMY[approval.value] ?? 'supervised', approval.at)
    else c.fact('agent.autonomy', 'supervised', {...m.base, text: 'approval_policy not set (default: on-request)'})
  }
  const untrusted = approval?.value === 'untrusted'
  c.fact(
    'tools.shell',
    untrusted ? 'allowlist' : 'unrestricted',
    approval?.at ?? {...m.base, text: 'Codex runs commands without approval inside its sandbox'},
  )
  if (!untrusted) c.fact('tools.packageInstall', sandbox.value === 'danger-full-access' || m.network?.value ? 'any' : 'none', sandbox.at)
  switch (sandbox.value) {
    case 'danger-full-access':
      c.fact('tools.fileSystem', 'host', sandbox.at)
      c.fact('tools.network', 'unrestricted', sandbox.at)
      c.fact('sandbox.networkIsolated', false, sandbox.at)
      if (m.context === 'workstation') c.fact('sandbox.type', 'none', sandbox.at)
      break
    case 'read-only':
    case 'workspace-write': {
      c.fact('tools.fileSystem', 'workspace', sandbox.at)
      if (m.context === 'workstation')
        c.fact('sandbox.type', 'container', {...sandbox.at, text: `${sandbox.at.text} (OS sandbox: Seatbelt or Landlock)`})
      const net = m.network
      if (net?.value) {
        c.fact('tools.network', 'unrestricted', net.at)
        c.fact('sandbox.networkIsolated', false, net.at)
      } else {
        const at = net?.at ?? {...sandbox.at, text: `${sandbox.at.text} (network off by default)`}
        c.fact('tools.network', 'none', at)
        c.fact('sandbox.networkIsolated', true, at)
      }
      break
    }
    default:
      c.warn('unknown-value', sandbox.at, `sandbox mode "${sandbox.value}" is not read-only, workspace-write or danger-full-access`)
  }
  for (const r of m.writableRoots) {
    const reach =
      r.value === '/' ? 'host' : /^(~|\$HOME|\/Users\/|\/home\/)/.test(r.value) ? 'home' : /^\//.test(r.value) ? 'host' : undefined
    if (reach) c.fact('tools.fileSystem', reach, r.at)
  }
}

/** Read `-c key=value` overrides and flags from a codex command line. */
export function codexFlags(words: string[], at: Origin, context: 'workstation' | 'ci'): CodexMode {
  const m: CodexMode = {context, writableRoots: [], base: at}
  const o = (text: string): Origin => ({...at, text})
  if (hasFlag(words, '--dangerously-bypass-approvals-and-sandbox', '--yolo')) m.bypass = o('--dangerously-bypass-approvals-and-sandbox')
  if (hasFlag(words, '--full-auto')) {
    m.sandbox = {value: 'workspace-write', at: o('--full-auto')}
    m.approval = {value: 'on-request', at: o('--full-auto')}
  }
  for (const v of flagValues(words, '--sandbox', '-s')) m.sandbox = {value: v, at: o(`--sandbox ${v}`)}
  for (const v of flagValues(words, '--ask-for-approval', '-a')) m.approval = {value: v, at: o(`--ask-for-approval ${v}`)}
  for (const kv of flagValues(words, '-c', '--config')) {
    const [k, raw = ''] = kv.split(/=(.*)/s)
    const v = raw.replace(/^["']|["']$/g, '')
    if (k === 'sandbox_mode') m.sandbox = {value: v, at: o(`-c ${kv}`)}
    else if (k === 'approval_policy') m.approval = {value: v, at: o(`-c ${kv}`)}
    else if (k === 'sandbox_workspace_write.network_access') m.network = {value: v === 'true', at: o(`-c ${kv}`)}
  }
  return m
}

function readMode(doc: SourceDoc, table: Record<string, unknown>, base: Path, at: Origin): CodexMode {
  const m: CodexMode = {context: 'workstation', writableRoots: [], base: at}
  const approval = table.approval_policy
  if (typeof approval === 'string') m.approval = {value: approval, at: doc.origin([...base, 'approval_policy'])}
  else if (isObject(approval))
    m.approval = {value: 'on-request', at: doc.origin([...base, 'approval_policy'], 'approval_policy (granular)')}
  const sandbox = str(table.sandbox_mode)
  if (sandbox) m.sandbox = {value: sandbox, at: doc.origin([...base, 'sandbox_mode'])}
  const sww = obj(table.sandbox_workspace_write)
  if (typeof sww.network_access === 'boolean')
    m.network = {value: sww.network_access, at: doc.origin([...base, 'sandbox_workspace_write', 'network_access'])}
  strings(sww.writable_roots).forEach((r, i) =>
    m.writableRoots.push({value: r, at: doc.origin([...base, 'sandbox_workspace_write', 'writable_roots', i], r)}),
  )
  return m
}

/** `.codex/config.toml`. */
export function readCodexConfig(file: ConfigFile, c: Collector): void {
  const doc = c.parseOrSkip(() => parseTomlDoc(file))
  if (!doc) return
  const cfg = obj(doc.value)
  const at = {file: file.path, line: 1, column: 1, text: `Codex project configuration (${file.path})`}
  c.agent('codex', at, 'Codex CLI project configuration')
  c.many(at, [
    ['agent.product', 'codex'],
    ['agent.runtime', 'developer-workstation'],
  ])
  c.fact('sandbox.ephemeral', false, {...at, text: 'runs on a developer workstation, not destroyed after a session'})
  warnUnknownKeys(c, doc, [], cfg, TOP_KEYS, 'Codex setting')
  codexModeFacts(c, readMode(doc, cfg, [], at))
  for (const [name, profile] of Object.entries(obj(cfg.profiles))) {
    if (!isObject(profile)) continue
    warnUnknownKeys(c, doc, ['profiles', name], profile, PROFILE_KEYS, 'Codex profile setting')
    if (profile.approval_policy !== undefined || profile.sandbox_mode !== undefined || profile.sandbox_workspace_write !== undefined) {
      codexModeFacts(c, readMode(doc, profile, ['profiles', name], doc.origin(['profiles', name], `profile ${name}`)))
    }
    if (typeof profile.model === 'string') modelFacts(c, 'openai', profile.model, doc.origin(['profiles', name, 'model']))
  }
  if (typeof cfg.model === 'string') modelFacts(c, 'openai', cfg.model, doc.origin(['model']))
  const env = obj(cfg.shell_environment_policy)
  if (env.inherit === 'all' && env.ignore_default_excludes === true) {
    c.warn(
      'env-exposed',
      doc.origin(['shell_environment_policy', 'ignore_default_excludes']),
      'shell_environment_policy passes every environment variable, including *KEY*/*SECRET*/*TOKEN* ones, to the commands Codex runs',
    )
  }
  const web = cfg.web_search ?? obj(cfg.tools).web_search
  if (web === 'live' || web === true)
    c.fact('agent.untrustedInputs', ['web-pages'], doc.origin(cfg.web_search !== undefined ? ['web_search'] : ['tools', 'web_search']))
  for (const [name, server] of Object.entries(obj(cfg.mcp_servers))) {
    analyzeMcpServer(c, name, server, {client: 'codex', base: ['mcp_servers'], originOf: (p, t) => doc.origin(p, t), doc})
  }
}
