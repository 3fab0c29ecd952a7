/**
 * Claude Code: `.claude/settings.json` and `.claude/settings.local.json` (JSONC), and the same
 * permission model when it comes from a workflow (`claude_args`, `allowed_tools`, `settings`).
 * Permission rules are merged across files (lists add up, deny beats allow), as Claude Code does.
 */
import {InputError} from '../errors.js'
import type {Path} from '../paths.js'
import {findSecrets} from '../secrets.js'
import {Collector, type Origin} from './collector.js'
import {modelFacts} from './model.js'
import {classifyCommand} from './shell.js'
import {isObject, obj, parseJsoncDoc, problemsOf, str, strings, type SourceDoc} from './source.js'
import type {ConfigFile} from './types.js'
import {warnUnknownKeys} from './unknown.js'

export interface Ref {
  value: string
  at: Origin
}

export interface ClaudePolicy {
  context: 'workstation' | 'ci'
  allow: Ref[]
  deny: Ref[]
  ask: Ref[]
  /** Permission modes seen (defaultMode, --permission-mode; --dangerously-skip-permissions is bypassPermissions). */
  modes: Ref[]
  /** additionalDirectories and --add-dir. */
  directories: Ref[]
  sandbox?: {enabled: boolean; at: Origin; allowUnsandboxed: boolean; domains: Ref[]; denyRead: Ref[]}
  /** Where the permission rules live (a fact about .env blocking is reported there). */
  rulesAt: Origin
}

export function emptyPolicy(context: 'workstation' | 'ci', rulesAt: Origin): ClaudePolicy {
  return {context, allow: [], deny: [], ask: [], modes: [], directories: [], rulesAt}
}

export interface PolicySummary {
  shell: 'none' | 'allowlist' | 'unrestricted'
  bypass: boolean
  plan: boolean
}

/** `Tool` or `Tool(specifier)`. */
export function parseRule(rule: string): {tool: string; spec?: string} {
  const m = /^\s*([A-Za-z_][\w-]*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(rule)
  if (!m) return {tool: rule.trim()}
  return m[2] === undefined ? {tool: m[1]} : {tool: m[1], spec: m[2].trim()}
}

const SHELL_TOOLS = new Set(['Bash', 'PowerShell'])
const ENV_FILE = /(^|[/*])\.env($|[.*])|\.env\*?$/

function isWholeTool(spec: string | undefined): boolean {
  return spec === undefined || spec === '' || spec === '*' || spec === '**' || spec === ':*'
}

/** Claude Code modes → manifest autonomy. */
export const MODE_AUTONOMY: Record<string, string> = {
  default: 'supervised',
  manual: 'supervised',
  acceptEdits: 'supervised',
  delegate: 'supervised',
  plan: 'suggest-only',
  dontAsk: 'autonomous',
  bypassPermissions: 'autonomous',
}

/** Facts from a Claude Code permission policy; the caller decides autonomy in CI. */
export function analyzeClaudePolicy(p: ClaudePolicy, c: Collector): PolicySummary {
  const bypassRef = p.modes.find((m) => m.value === 'bypassPermissions')
  const plan = p.modes.length > 0 && p.modes.every((m) => m.value === 'plan')
  const shellDenied = p.deny.find((r) => {
    const {tool, spec} = parseRule(r.value)
    return SHELL_TOOLS.has(tool) && isWholeTool(spec)
  })
  const sandboxOn = p.sandbox?.enabled === true && !(bypassRef && p.sandbox.allowUnsandboxed)
  let shell: PolicySummary['shell'] = 'allowlist'

  // Shell
  const shellFacts = (at: Origin, network: boolean, hosts: string[]): void => {
    if (sandboxOn) return // the sandbox decides Bash's reach
    if (network) c.fact('tools.network', 'unrestricted', at)
    for (const h of hosts) {
      c.fact('tools.network', 'allowlist', at)
      c.fact('tools.networkAllowlist', [h], at)
    }
  }
  if (shellDenied) {
    shell = 'none'
    c.fact('tools.shell', 'none', {...shellDenied.at, text: `deny ${shellDenied.value}`})
  } else {
    if (bypassRef) {
      shell = 'unrestricted'
      c.fact('tools.shell', 'unrestricted', bypassRef.at)
      shellFacts(bypassRef.at, true, [])
      if (!sandboxOn) c.fact('tools.fileSystem', 'host', bypassRef.at)
      c.fact('tools.packageInstall', 'any', bypassRef.at)
    }
    let anyShellRule = false
    for (const r of p.allow) {
      const {tool, spec} = parseRule(r.value)
      if (!SHELL_TOOLS.has(tool)) continue
      anyShellRule = true
      const at = {...r.at, text: r.value}
      const v = isWholeTool(spec) ? classifyCommand('*') : classifyCommand(spec!)
      if (v.arbitrary) {
        shell = 'unrestricted'
        c.fact('tools.shell', 'unrestricted', at)
        if (!sandboxOn) c.fact('tools.fileSystem', 'host', at)
      } else {
        if (shell !== 'unrestricted') shell = 'allowlist'
        c.fact('tools.shell', 'allowlist', at)
        c.fact('tools.shellAllowlist', [spec!.replace(/:\*$/, ' *')], at)
      }
      shellFacts(at, v.network, v.hosts)
      if (v.install) {
        c.fact('tools.packageInstall', v.install, at)
        c.fact('access.packages', 'install', at)
      }
      for (const e of v.effects) c.many({...at, text: `${r.value} (${e.label})`}, e.facts)
    }
    if (!anyShellRule && !bypassRef) {
      c.fact('tools.shell', 'allowlist', {
        ...p.rulesAt,
        text:
          p.context === 'ci'
            ? 'no Bash rule allowed: only built-in read-only commands run'
            : 'no Bash allow rule: commands other than read-only built-ins need approval',
      })
    }
  }

  // Web
  for (const r of p.allow) {
    const {tool, spec} = parseRule(r.value)
    const at = {...r.at, text: r.value}
    if (tool === 'WebFetch') {
      const domain = spec?.replace(/^domain:/, '')
      if (isWholeTool(spec) || domain === '*') c.fact('tools.network', 'unrestricted', at)
      else if (domain) {
        c.fact('tools.network', 'allowlist', at)
        c.fact('tools.networkAllowlist', [domain], at)
      }
      c.fact('agent.untrustedInputs', ['web-pages'], at)
    } else if (tool === 'WebSearch') {
      c.fact('agent.untrustedInputs', ['web-pages'], at)
    } else if ((tool === 'Read' || tool === 'Edit' || tool === 'Write') && spec) {
      const reach = pathReach(spec)
      if (reach) c.fact('tools.fileSystem', reach, at)
    }
  }
  if (bypassRef && !p.deny.some((r) => parseRule(r.value).tool === 'WebFetch' && isWholeTool(parseRule(r.value).spec))) {
    c.fact('agent.untrustedInputs', ['web-pages'], {...bypassRef.at})
  }

  // File system: the workspace, plus extra directories
  c.fact('tools.fileSystem', 'workspace', {
    ...p.rulesAt,
    text: p.context === 'ci' ? 'Claude Code edits the checked-out workspace' : 'Claude Code edits the project folder',
  })
  for (const d of p.directories) {
    c.fact('tools.fileSystem', pathReach(d.value) ?? 'home', {...d.at, text: `additional directory ${d.value}`})
  }

  // Sandbox (Bash only)
  if (p.sandbox) {
    const s = p.sandbox
    if (sandboxOn) {
      c.fact('sandbox.type', 'container', {...s.at, text: 'sandbox.enabled: true (OS sandbox around Bash)'})
      c.fact('sandbox.networkIsolated', true, s.at)
      if (s.domains.length > 0) {
        for (const d of s.domains) {
          c.fact('tools.network', 'allowlist', {...d.at, text: `sandbox allowedDomains ${d.value}`})
          c.fact('tools.networkAllowlist', [d.value], {...d.at, text: `sandbox allowedDomains ${d.value}`})
        }
      } else if (shell !== 'none') {
        c.fact('tools.network', 'allowlist', {...s.at, text: 'sandbox on, no allowedDomains: every new domain needs approval'})
      }
    } else if (s.enabled) {
      c.fact('sandbox.type', 'none', {
        ...s.at,
        text: 'sandbox enabled, but bypassPermissions with allowUnsandboxedCommands lets commands leave it without approval',
      })
    } else {
      c.fact('sandbox.type', 'none', {...s.at, text: 'sandbox.enabled is not true'})
    }
  } else if (p.context === 'workstation') {
    c.fact('sandbox.type', 'none', {...p.rulesAt, text: 'no sandbox block (Claude Code sandbox is off by default)'})
  }

  // .env files
  const envDeny = [...p.deny, ...(p.sandbox?.denyRead ?? [])].find((r) => {
    const {tool, spec} = parseRule(r.value)
    const target = tool === 'Read' || tool === 'Edit' ? spec : r.value
    return target !== undefined && ENV_FILE.test(target)
  })
  if (envDeny) c.fact('secrets.envFilesBlocked', true, {...envDeny.at, text: envDeny.value})
  else if (p.context === 'workstation') c.fact('secrets.envFilesBlocked', false, {...p.rulesAt, text: 'no Read deny rule for .env files'})

  return {shell, bypass: bypassRef !== undefined && !shellDenied, plan}
}

function pathReach(spec: string): 'home' | 'host' | undefined {
  const s = spec.trim()
  if (s.startsWith('//') || /^[A-Za-z]:[\\/]/.test(s) || s === '/' || /^\/(etc|usr|var|opt|root|Users|home)\b/.test(s)) return 'host'
  if (s.startsWith('~') || s.startsWith('$HOME') || s.startsWith('../')) return 'home'
  return undefined
}

/** Known keys of Claude Code settings (from the SchemaStore schema, kept as data). */
export const CLAUDE_KEYS = new Set([
  '$schema',
  'advisorModel',
  'agent',
  'agentPushNotifEnabled',
  'allowAllClaudeAiMcps',
  'allowManagedHooksOnly',
  'allowManagedMcpServersOnly',
  'allowManagedPermissionRulesOnly',
  'allowedChannelPlugins',
  'allowedHttpHookUrls',
  'allowedMcpServers',
  'alwaysThinkingEnabled',
  'apiKeyHelper',
  'askUserQuestionTimeout',
  'attribution',
  'autoCompactEnabled',
  'autoConnectIde',
  'autoInstallIdeExtension',
  'autoMemoryDirectory',
  'autoMemoryEnabled',
  'autoMode',
  'autoScrollEnabled',
  'autoUpdatesChannel',
  'availableModels',
  'awaySummaryEnabled',
  'awsAuthRefresh',
  'awsCredentialExport',
  'axScreenReader',
  'blockedMarketplaces',
  'browserExternalPageTools',
  'channelsEnabled',
  'claudeMd',
  'claudeMdExcludes',
  'cleanupPeriodDays',
  'companyAnnouncements',
  'defaultShell',
  'deniedMcpServers',
  'diffTool',
  'disableAgentView',
  'disableAllHooks',
  'disableArtifact',
  'disableAutoMode',
  'disableBrowserExternalNavigation',
  'disableBundledSkills',
  'disableClaudeAiConnectors',
  'disableDeepLinkRegistration',
  'disableMobileSimulatorTools',
  'disableRemoteControl',
  'disableSideloadFlags',
  'disableSkillShellExecution',
  'disableWorkflows',
  'disabledMcpjsonServers',
  'editorMode',
  'effortLevel',
  'emojiCompletionEnabled',
  'enableAllProjectMcpServers',
  'enableArtifact',
  'enabledMcpjsonServers',
  'enabledPlugins',
  'enforceAvailableModels',
  'env',
  'externalEditorContext',
  'extraKnownMarketplaces',
  'fallbackModel',
  'fastMode',
  'fastModePerSessionOptIn',
  'feedbackSurveyRate',
  'fileCheckpointingEnabled',
  'fileSuggestion',
  'footerLinksRegexes',
  'forceLoginGatewayUrl',
  'forceLoginMethod',
  'forceLoginOrgUUID',
  'forceRemoteSettingsRefresh',
  'gcpAuthRefresh',
  'hooks',
  'httpHookAllowedEnvVars',
  'includeCoAuthoredBy',
  'includeGitInstructions',
  'inputNeededNotifEnabled',
  'language',
  'managedMcpServers',
  'minimumVersion',
  'model',
  'modelOverrides',
  'otelHeadersHelper',
  'outputStyle',
  'parentSettingsBehavior',
  'permissionExplainerEnabled',
  'permissions',
  'plansDirectory',
  'pluginConfigs',
  'pluginSuggestionMarketplaces',
  'pluginTrustMessage',
  'policyHelper',
  'prUrlTemplate',
  'preferredNotifChannel',
  'prefersReducedMotion',
  'processWrapper',
  'remoteControlAtStartup',
  'requireCoworkFullVmSandbox',
  'requiredMaximumVersion',
  'requiredMinimumVersion',
  'respectGitignore',
  'respondToBashCommands',
  'sandbox',
  'showClearContextOnPlanAccept',
  'showThinkingSummaries',
  'showTurnDuration',
  'skillListingBudgetFraction',
  'skillListingMaxDescChars',
  'skillOverrides',
  'skipDangerousModePermissionPrompt',
  'skipWebFetchPreflight',
  'skippedMarketplaces',
  'skippedPlugins',
  'spinnerTipsEnabled',
  'spinnerTipsOverride',
  'spinnerVerbs',
  'sshConfigs',
  'sshHostAllowlist',
  'statusLine',
  'strictKnownMarketplaces',
  'strictPluginOnlyCustomization',
  'subagentStatusLine',
  'syntaxHighlightingDisabled',
  'teammateDefaultModel',
  'teammateMode',
  'terminalProgressBarEnabled',
  'theme',
  'tui',
  'useAutoModeDuringPlan',
  'verbose',
  'viewMode',
  'vimInsertModeRemaps',
  'voice',
  'voiceEnabled',
  'wheelScrollAccelerationEnabled',
  'workflowKeywordTriggerEnabled',
  'workflowSizeGuideline',
  'worktree',
  'wslInheritsWindowsSettings',
  // recent keys named in the formats reference
  'disableClaudeAiConnectors',
  'isolatePeerMachines',
  'crossSessionInbound',
  'syncClaudeAiSkills',
])
const PERMISSION_KEYS = new Set([
  'additionalDirectories',
  'allow',
  'ask',
  'defaultMode',
  'deny',
  'disableAutoMode',
  'disableBypassPermissionsMode',
])
const SANDBOX_KEYS = new Set([
  'allowAppleEvents',
  'allowUnsandboxedCommands',
  'autoAllowBashIfSandboxed',
  'bwrapPath',
  'credentials',
  'enableWeakerNestedSandbox',
  'enableWeakerNetworkIsolation',
  'enabled',
  'enabledPlatforms',
  'excludedCommands',
  'failIfUnavailable',
  'filesystem',
  'ignoreViolations',
  'network',
  'ripgrep',
  'socatPath',
])
/** Keys Claude Code ignores in the shared project file. */
const PERSONAL_OR_MANAGED_KEYS = [
  'skipDangerousModePermissionPrompt',
  'allowManagedHooksOnly',
  'allowManagedPermissionRulesOnly',
  'allowManagedMcpServersOnly',
  'strictKnownMarketplaces',
  'allowAllClaudeAiMcps',
]
const MODES = new Set(Object.keys(MODE_AUTONOMY).concat('auto'))

/**
 * Add the permission parts of one Claude settings object to a policy, and report its other
 * security-relevant keys. `originOf` places a path of the settings object in the file.
 */
export function addSettings(
  settings: Record<string, unknown>,
  policy: ClaudePolicy,
  c: Collector,
  originOf: (path: Path, text?: string) => Origin,
  where: {file: string; scope: 'project' | 'local' | 'workflow'},
): void {
  const perms = obj(settings.permissions)
  if (isObject(settings.permissions)) policy.rulesAt = originOf(['permissions'], 'permissions')
  for (const list of ['allow', 'deny', 'ask'] as const) {
    const values = perms[list]
    if (!Array.isArray(values)) continue
    values.forEach((rule, i) => {
      if (typeof rule === 'string') policy[list].push({value: rule, at: originOf(['permissions', list, i], rule)})
    })
  }
  const mode = str(perms.defaultMode)
  if (mode !== undefined) {
    const at = originOf(['permissions', 'defaultMode'])
    if (mode === 'auto' && where.scope !== 'workflow') {
      c.warn('ignored-setting', at, 'permissions.defaultMode "auto" is ignored from project and local settings files')
    } else if (!MODES.has(mode)) {
      c.warn('unknown-value', at, `permissions.defaultMode "${mode}" is not a Claude Code permission mode`, 'permissions.defaultMode')
    } else policy.modes.push({value: mode, at})
  }
  strings(perms.additionalDirectories).forEach((d, i) =>
    policy.directories.push({value: d, at: originOf(['permissions', 'additionalDirectories', i], d)}),
  )

  if (isObject(settings.sandbox)) {
    const s = settings.sandbox
    const network = obj(s.network)
    const fsys = obj(s.filesystem)
    policy.sandbox = {
      enabled: s.enabled === true,
      at: originOf(['sandbox', ...(s.enabled === undefined ? [] : ['enabled'])]),
      allowUnsandboxed: s.allowUnsandboxedCommands !== false,
      domains: strings(network.allowedDomains).map((d, i) => ({value: d, at: originOf(['sandbox', 'network', 'allowedDomains', i], d)})),
      denyRead: strings(fsys.denyRead).map((d, i) => ({value: d, at: originOf(['sandbox', 'filesystem', 'denyRead', i], d)})),
    }
  }

  if (where.scope === 'project') {
    for (const key of PERSONAL_OR_MANAGED_KEYS) {
      if (settings[key] !== undefined)
        c.warn(
          'ignored-setting',
          originOf([key]),
          `"${key}" is read only from user, local or managed settings; in the shared project file it has no effect`,
          key,
        )
    }
  }
  if (settings.enableAllProjectMcpServers === true) {
    c.warn(
      'mcp-auto-approve',
      originOf(['enableAllProjectMcpServers']),
      'enableAllProjectMcpServers: every server in .mcp.json is connected without approval, including servers a pull request adds',
    )
  }
  if (typeof settings.model === 'string') modelFacts(c, 'anthropic', settings.model, originOf(['model']))
  if (typeof settings.autoMemoryEnabled === 'boolean') {
    const at = originOf(['autoMemoryEnabled'])
    c.fact('memory.persistent', settings.autoMemoryEnabled, at)
    if (settings.autoMemoryEnabled) c.fact('memory.sources', ['shared-notes'], at)
  }
  if (typeof settings.includeCoAuthoredBy === 'boolean')
    c.fact('observability.attribution', settings.includeCoAuthoredBy, originOf(['includeCoAuthoredBy']))
  if (isObject(settings.attribution) && settings.attribution.commit === '')
    c.fact('observability.attribution', false, originOf(['attribution', 'commit']))
  for (const [name, entry] of Object.entries(obj(settings.extraKnownMarketplaces))) {
    const repo = str(obj(obj(entry).source).repo) ?? str(obj(obj(entry).source).url) ?? ''
    if (repo && !/^anthropics\//.test(repo)) {
      c.warn(
        'third-party-plugins',
        originOf(['extraKnownMarketplaces', name]),
        `plugin marketplace "${name}" comes from ${repo}: its plugins (commands, hooks, MCP servers) are third-party code`,
      )
    }
  }
  // literal credentials in env: a credential stored in the repository
  const env = obj(settings.env)
  for (const hit of findSecrets(env)) {
    const key = String(hit.path[0])
    credentialInSource(c, key, hit.kind, originOf(['env', key], `env.${key}`))
  }
}

/** A literal secret in a committed file, as a credential the agent holds. */
export function credentialInSource(c: Collector, name: string, kind: string, at: Origin): void {
  const credKind =
    kind === 'github-token' || kind === 'gitlab-token'
      ? 'personal-access-token'
      : kind === 'private-key'
        ? 'ssh-key'
        : kind === 'credentials-in-url'
          ? 'password'
          : 'static-api-key'
  c.itemFact('identity.credentials', name, 'name', name, at)
  c.itemFact('identity.credentials', name, 'kind', credKind, at)
  c.itemFact('identity.credentials', name, 'storage', 'source-code', at)
}

/** Read `.claude/settings.json` and `.claude/settings.local.json` together. */
export function readClaudeSettings(files: ConfigFile[], c: Collector): void {
  const docs: {doc: SourceDoc; scope: 'project' | 'local'}[] = []
  for (const f of files) {
    try {
      const doc = parseJsoncDoc(f)
      c.diagnostics(problemsOf(doc))
      if (!isObject(doc.value)) {
        c.warn('invalid-config', {file: doc.file, ...doc.at([])}, 'Claude Code settings must be a JSON object; the file is ignored')
        continue
      }
      docs.push({doc, scope: f.path.endsWith('settings.local.json') ? 'local' : 'project'})
    } catch (error) {
      if (error instanceof InputError) c.diagnostics(error.diagnostics.map((d) => ({...d, message: `${d.message}; the file is ignored`})))
      else throw error
    }
  }
  if (docs.length === 0) return
  docs.sort((a, b) => (a.scope === b.scope ? 0 : a.scope === 'project' ? -1 : 1))
  const first = docs[0].doc
  const policy = emptyPolicy('workstation', {file: first.file, line: 1, column: 1, text: 'Claude Code project settings'})
  for (const {doc, scope} of docs) {
    const settings = doc.value as Record<string, unknown>
    c.agent('claude-code', {file: doc.file, line: 1}, `Claude Code ${scope === 'local' ? 'local' : 'project'} settings`)
    const at1 = doc.origin([], `Claude Code ${scope} settings (${doc.file})`)
    c.fact('agent.product', 'claude-code', at1)
    c.fact('agent.runtime', 'developer-workstation', at1)
    c.fact('sandbox.ephemeral', false, {...at1, text: 'runs on a developer workstation, not destroyed after a session'})
    if (scope === 'local') {
      c.warn(
        'committed-local-settings',
        {file: doc.file, line: 1},
        'settings.local.json is personal and usually git-ignored; committed, it applies to everyone who clones the repository',
      )
    }
    warnUnknownKeys(c, doc, [], settings, CLAUDE_KEYS, 'Claude Code setting')
    if (isObject(settings.permissions)) warnUnknownKeys(c, doc, ['permissions'], settings.permissions, PERMISSION_KEYS, 'permissions key')
    if (isObject(settings.sandbox)) warnUnknownKeys(c, doc, ['sandbox'], settings.sandbox, SANDBOX_KEYS, 'sandbox key')
    addSettings(settings, policy, c, (p, t) => doc.origin(p, t), {file: doc.file, scope})
  }
  analyzeClaudePolicy(policy, c)
  if (policy.modes.length === 0) {
    c.fact('agent.autonomy', 'supervised', {
      ...policy.rulesAt,
      text: 'permissions.defaultMode not set: Claude Code asks before edits and commands',
    })
  }
  for (const m of policy.modes) c.fact('agent.autonomy', MODE_AUTONOMY[m.value] ?? 'supervised', {...m.at, text: `defaultMode: ${m.value}`})
}
