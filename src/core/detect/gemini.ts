/**
 * Gemini CLI: `.gemini/settings.json` (v2 nested keys and legacy v1 flat keys), and the same
 * settings when a workflow passes them to run-gemini-cli (which always runs `gemini --yolo`).
 */
import type {Path} from '../paths.js'
import {Collector, type Origin} from './collector.js'
import {analyzeMcpServer} from './mcp.js'
import {modelFacts} from './model.js'
import {classifyCommand} from './shell.js'
import {isObject, obj, parseJsoncDoc, problemsOf, str, strings, type SourceDoc} from './source.js'
import type {ConfigFile} from './types.js'
import {warnUnknownKeys} from './unknown.js'

const TOP_KEYS = new Set([
  '$schema',
  'admin',
  'adminPolicyPaths',
  'advanced',
  'agents',
  'billing',
  'context',
  'contextManagement',
  'experimental',
  'extensions',
  'general',
  'hooks',
  'hooksConfig',
  'ide',
  'mcp',
  'mcpServers',
  'model',
  'modelConfigs',
  'output',
  'policyPaths',
  'privacy',
  'security',
  'skills',
  'telemetry',
  'tools',
  'ui',
  'useWriteTodos',
])
/** v1 flat keys still found in repositories (read by older CLIs, migrated by newer ones). */
const LEGACY_KEYS = new Set([
  'sandbox',
  'coreTools',
  'excludeTools',
  'allowedTools',
  'autoAccept',
  'allowMCPServers',
  'excludeMCPServers',
  'theme',
  'selectedAuthType',
  'contextFileName',
  'checkpointing',
  'fileFiltering',
  'preferredEditor',
  'usageStatisticsEnabled',
  'vimMode',
  'hideTips',
  'hideBanner',
  'showMemoryUsage',
  'maxSessionTurns',
  'memoryImportFormat',
  'summarizeToolOutput',
  'toolDiscoveryCommand',
  'toolCallCommand',
  'mcpServerCommand',
  'bugCommand',
  'excludedProjectEnvVars',
  'folderTrust',
  'folderTrustFeature',
  'chatCompression',
  'includeDirectories',
  'loadMemoryFromIncludeDirectories',
  'disableAutoUpdate',
  'disableUpdateNag',
  'dnsResolutionOrder',
  'ideMode',
  'hideWindowTitle',
  'accessibility',
  'telemetry',
])
const NESTED_KEYS: Record<string, ReadonlySet<string>> = {
  general: new Set([
    'checkpointing',
    'debugKeystrokeLogging',
    'defaultApprovalMode',
    'devtools',
    'enableAutoUpdate',
    'enableAutoUpdateNotification',
    'enableNotifications',
    'logRagSnippets',
    'maxAttempts',
    'notificationMethod',
    'openEditorInNewWindow',
    'plan',
    'preferredEditor',
    'retryFetchErrors',
    'sessionRetention',
    'topicUpdateNarration',
    'vimMode',
    'disableAutoUpdate',
    'disableUpdateNag',
  ]),
  tools: new Set([
    'allowed',
    'callCommand',
    'confirmationRequired',
    'core',
    'disableLLMCorrection',
    'discoveryCommand',
    'exclude',
    'sandbox',
    'sandboxAllowedPaths',
    'sandboxNetworkAccess',
    'shell',
    'truncateToolOutputThreshold',
    'useRipgrep',
    'autoAccept',
    'enableToolOutputTruncation',
    'truncateToolOutputLines',
  ]),
  security: new Set([
    'allowedExtensions',
    'auth',
    'autoAddToPolicyByDefault',
    'blockGitExtensions',
    'disableAlwaysAllow',
    'disableYoloMode',
    'enableConseca',
    'enablePermanentToolApproval',
    'environmentVariableRedaction',
    'folderTrust',
  ]),
  mcp: new Set(['allowed', 'excluded', 'serverCommand']),
}

const SHELL = /^(run_shell_command|ShellTool)(?:\((.*)\))?$/s
const WEB = /^(web_fetch|WebFetchTool|google_web_search|WebSearchTool)(?:\(.*\))?$/s

export interface GeminiContext {
  context: 'workstation' | 'ci'
  /** `--yolo` (always for run-gemini-cli). */
  yolo?: Origin
  /** Where facts with no better place are reported. */
  base: Origin
}

/** Facts from one Gemini settings object. */
export function analyzeGeminiSettings(
  s: Record<string, unknown>,
  c: Collector,
  originOf: (path: Path, text?: string) => Origin,
  ctx: GeminiContext,
  doc?: SourceDoc,
): {shell: 'none' | 'allowlist' | 'unrestricted'} {
  let shell: 'none' | 'allowlist' | 'unrestricted' = 'allowlist'
  const tools = obj(s.tools)
  const pick = (v2: [string, string], v1: string): {value: unknown; path: Path} | undefined => {
    const group = obj(s[v2[0]])
    if (group[v2[1]] !== undefined) return {value: group[v2[1]], path: v2}
    if (s[v1] !== undefined) return {value: s[v1], path: [v1]}
    return undefined
  }
  const core = pick(['tools', 'core'], 'coreTools')
  const exclude = pick(['tools', 'exclude'], 'excludeTools')
  const allowed = pick(['tools', 'allowed'], 'allowedTools')
  const sandbox = pick(['tools', 'sandbox'], 'sandbox')
  const entries = (p?: {value: unknown; path: Path}): {value: string; at: Origin}[] =>
    p ? strings(p.value).map((v, i) => ({value: v, at: originOf([...p.path, i], v)})) : []
  const coreList = entries(core)
  const excludeList = entries(exclude)
  const allowedList = entries(allowed)

  // Shell
  const excluded = excludeList.find((e) => SHELL.exec(e.value) && !SHELL.exec(e.value)![2])
  const coreShell = coreList.filter((e) => SHELL.test(e.value))
  const sandboxOn = sandbox !== undefined && sandbox.value !== false && sandbox.value !== 'false' && sandbox.value !== ''
  const shellAt = (e: {value: string; at: Origin}, spec: string): void => {
    const v = classifyCommand(`${spec} *`)
    if (v.arbitrary) {
      shell = 'unrestricted'
      c.fact('tools.shell', 'unrestricted', e.at)
      if (!sandboxOn) c.fact('tools.fileSystem', 'host', e.at)
    } else {
      c.fact('tools.shell', 'allowlist', e.at)
      c.fact('tools.shellAllowlist', [spec], e.at)
    }
    if (v.network && !sandboxOn) c.fact('tools.network', 'unrestricted', e.at)
    if (v.install) c.fact('tools.packageInstall', v.install, e.at)
    for (const eff of v.effects) c.many({...e.at, text: `${e.value} (${eff.label})`}, eff.facts)
  }
  if (excluded) {
    shell = 'none'
    c.fact('tools.shell', 'none', {...excluded.at, text: `excludeTools ${excluded.value}`})
  } else if (core && coreShell.length === 0) {
    shell = 'none'
    c.fact('tools.shell', 'none', originOf(core.path, 'tools.core does not list run_shell_command'))
  } else {
    const restricted = coreShell.length > 0 && coreShell.every((e) => SHELL.exec(e.value)![2])
    if (restricted) {
      for (const e of coreShell) shellAt(e, SHELL.exec(e.value)![2].trim())
    } else {
      const bareAllowed = allowedList.find((e) => SHELL.exec(e.value) && !SHELL.exec(e.value)![2])
      const open = ctx.yolo ?? bareAllowed?.at
      if (open) {
        shell = 'unrestricted'
        c.fact('tools.shell', 'unrestricted', {...open, text: ctx.yolo ? open.text : `tools.allowed ${bareAllowed!.value}`})
        if (!sandboxOn) {
          c.fact('tools.fileSystem', 'host', open)
          c.fact('tools.network', 'unrestricted', open)
        }
        c.fact('tools.packageInstall', 'any', open)
      } else {
        const items = allowedList.filter((e) => SHELL.exec(e.value)?.[2])
        for (const e of items) shellAt(e, SHELL.exec(e.value)![2].trim())
        if (items.length === 0) {
          c.fact('tools.shell', 'allowlist', {
            ...ctx.base,
            text: ctx.context === 'ci' ? 'shell commands need confirmation (denied when headless)' : 'shell commands need confirmation',
          })
        }
      }
    }
  }

  // Web tools
  const webAvailable = (name: RegExp): boolean =>
    !excludeList.some((e) => name.test(e.value)) && (!core || coreList.some((e) => name.test(e.value)))
  if (webAvailable(/^(web_fetch|WebFetchTool)/) && (ctx.yolo || allowedList.some((e) => /^(web_fetch|WebFetchTool)/.test(e.value)))) {
    const at = ctx.yolo ?? allowedList.find((e) => WEB.test(e.value))!.at
    c.fact('tools.network', 'unrestricted', {...at, text: ctx.yolo ? `${at.text} (web_fetch without confirmation)` : at.text})
    c.fact('agent.untrustedInputs', ['web-pages'], at)
  } else if (coreList.some((e) => WEB.test(e.value))) {
    c.fact('agent.untrustedInputs', ['web-pages'], coreList.find((e) => WEB.test(e.value))!.at)
  }

  // File system and sandbox
  c.fact('tools.fileSystem', 'workspace', {...ctx.base, text: 'Gemini CLI edits the workspace'})
  if (sandbox) {
    const at = originOf(sandbox.path)
    if (sandboxOn) {
      c.fact('sandbox.type', 'container', at)
      const net = tools.sandboxNetworkAccess
      c.fact(
        'sandbox.networkIsolated',
        net !== true,
        net === undefined ? {...at, text: 'sandboxNetworkAccess defaults to false'} : originOf(['tools', 'sandboxNetworkAccess']),
      )
      if (net !== true && !ctx.yolo) c.fact('tools.network', 'none', {...at, text: 'sandbox without network access'})
    } else c.fact('sandbox.type', 'none', at)
  } else if (ctx.context === 'workstation') {
    c.fact('sandbox.type', 'none', {...ctx.base, text: 'no tools.sandbox (Gemini CLI sandbox is off by default)'})
  }
  strings(tools.sandboxAllowedPaths).forEach((p, i) => {
    const reach = /^(\/|[A-Za-z]:\\)$/.test(p) ? 'host' : /^(~|\$HOME|\/Users\/|\/home\/)/.test(p) ? 'home' : undefined
    if (reach) c.fact('tools.fileSystem', reach, originOf(['tools', 'sandboxAllowedPaths', i], p))
  })

  // Approval mode (settings cannot set yolo)
  const general = obj(s.general)
  const mode = str(general.defaultApprovalMode)
  if (ctx.context === 'workstation') {
    if (mode !== undefined) {
      const at = originOf(['general', 'defaultApprovalMode'])
      const autonomy = {default: 'supervised', auto_edit: 'supervised', plan: 'suggest-only'}[mode]
      if (autonomy) c.fact('agent.autonomy', autonomy, at)
      else
        c.warn(
          'unknown-value',
          at,
          `general.defaultApprovalMode "${mode}" is not accepted (yolo can only be set on the command line)`,
          'general.defaultApprovalMode',
        )
    } else {
      c.fact('agent.autonomy', 'supervised', {...ctx.base, text: 'general.defaultApprovalMode not set: tools ask for confirmation'})
    }
  }
  if (s.autoAccept === true || tools.autoAccept === true)
    c.fact('agent.autonomy', 'supervised', originOf(s.autoAccept === true ? ['autoAccept'] : ['tools', 'autoAccept']))

  // MCP servers (minus the excluded ones)
  const mcp = obj(s.mcp)
  const allowedServers = strings(mcp.allowed ?? s.allowMCPServers)
  const excludedServers = new Set(strings(mcp.excluded ?? s.excludeMCPServers))
  const servers = obj(s.mcpServers)
  for (const name of Object.keys(servers)) {
    if (excludedServers.has(name) || (allowedServers.length > 0 && !allowedServers.includes(name))) continue
    analyzeMcpServer(c, name, servers[name], {client: 'gemini', base: ['mcpServers'], originOf, doc})
  }

  // Memory and model
  if (obj(s.experimental).autoMemory === true) {
    const at = originOf(['experimental', 'autoMemory'])
    c.fact('memory.persistent', true, at)
    c.fact('memory.sources', ['shared-notes'], at)
  }
  const model = isObject(s.model) ? str(s.model.name) : str(s.model)
  if (model) modelFacts(c, 'google', model, originOf(isObject(s.model) ? ['model', 'name'] : ['model']))
  const turns = isObject(s.model) ? s.model.maxSessionTurns : s.maxSessionTurns
  if (typeof turns === 'number' && turns > 0)
    c.fact(
      'oversight.budgets',
      true,
      originOf(isObject(s.model) ? ['model', 'maxSessionTurns'] : ['maxSessionTurns'], `maxSessionTurns: ${turns}`),
    )
  return {shell}
}

/** `.gemini/settings.json`. */
export function readGeminiSettings(file: ConfigFile, c: Collector): void {
  const doc = c.parseOrSkip(() => parseJsoncDoc(file))
  if (!doc) return
  c.diagnostics(problemsOf(doc))
  if (!isObject(doc.value)) {
    c.warn('invalid-config', {file: doc.file, ...doc.at([])}, 'Gemini CLI settings must be a JSON object; the file is ignored')
    return
  }
  const s = doc.value
  const at = doc.origin([], `Gemini CLI project settings (${file.path})`)
  c.agent('gemini-cli', at, 'Gemini CLI project settings')
  c.many(at, [
    ['agent.product', 'gemini-cli'],
    ['agent.runtime', 'developer-workstation'],
  ])
  c.fact('sandbox.ephemeral', false, {...at, text: 'runs on a developer workstation, not destroyed after a session'})
  for (const key of Object.keys(s)) {
    if (TOP_KEYS.has(key)) continue
    if (LEGACY_KEYS.has(key)) {
      c.warn(
        'legacy-key',
        {file: doc.file, ...doc.keyAt([key])},
        `"${key}" is a v1 (flat) Gemini CLI setting; current versions read the nested form`,
        key,
      )
    } else warnUnknownKeys(c, doc, [], {[key]: s[key]}, TOP_KEYS, 'Gemini CLI setting')
  }
  for (const [group, keys] of Object.entries(NESTED_KEYS)) {
    if (isObject(s[group])) warnUnknownKeys(c, doc, [group], s[group], keys, `${group} setting`)
  }
  analyzeGeminiSettings(s, c, (p, t) => doc.origin(p, t), {context: 'workstation', base: at}, doc)
}
