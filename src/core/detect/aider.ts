/**
 * Aider: `.aider.conf.yml` and the `aider` command line (in workflows). `yes-always` confirms
 * everything, including the shell commands aider suggests; `auto-commits` (default on) commits
 * every edit; lint and test commands run without asking.
 */
import {findSecrets} from '../secrets.js'
import {credentialInSource} from './claude.js'
import type {Collector, Origin} from './collector.js'
import {modelFacts} from './model.js'
import {classifyCommand, flagValues, hasFlag} from './shell.js'
import {isObject, parseYamlDoc, str, strings} from './source.js'
import type {ConfigFile} from './types.js'
import {warnUnknownKeys} from './unknown.js'

/** Keys of aider 0.82 (SchemaStore) plus a few newer ones. */
const AIDER_KEYS = new Set([
  '35turbo',
  '4',
  '4-turbo',
  '4o',
  'aiderignore',
  'alias',
  'analytics',
  'analytics-disable',
  'analytics-log',
  'anthropic-api-key',
  'api-key',
  'apply',
  'apply-clipboard-edits',
  'architect',
  'assistant-output-color',
  'attribute-author',
  'attribute-co-authored-by',
  'attribute-commit-message-author',
  'attribute-commit-message-committer',
  'attribute-committer',
  'auto-accept-architect',
  'auto-commits',
  'auto-lint',
  'auto-test',
  'cache-keepalive-pings',
  'cache-prompts',
  'chat-history-file',
  'chat-language',
  'check-model-accepts-settings',
  'check-update',
  'code-theme',
  'commit',
  'commit-prompt',
  'completion-menu-bg-color',
  'completion-menu-color',
  'completion-menu-current-bg-color',
  'completion-menu-current-color',
  'config',
  'copy-paste',
  'dark-mode',
  'deepseek',
  'detect-urls',
  'dirty-commits',
  'disable-playwright',
  'dry-run',
  'edit-format',
  'editor',
  'editor-edit-format',
  'editor-model',
  'encoding',
  'env-file',
  'exit',
  'fancy-input',
  'file',
  'git',
  'git-commit-verify',
  'gitignore',
  'gui',
  'haiku',
  'input-history-file',
  'install-main-branch',
  'just-check-update',
  'light-mode',
  'line-endings',
  'lint',
  'lint-cmd',
  'list-models',
  'llm-history-file',
  'load',
  'map-multiplier-no-files',
  'map-refresh',
  'map-tokens',
  'max-chat-history-tokens',
  'message',
  'message-file',
  'mini',
  'model',
  'model-metadata-file',
  'model-settings-file',
  'multiline',
  'notifications',
  'notifications-command',
  'o1-mini',
  'o1-preview',
  'openai-api-base',
  'openai-api-deployment-id',
  'openai-api-key',
  'openai-api-type',
  'openai-api-version',
  'openai-organization-id',
  'opus',
  'pretty',
  'read',
  'reasoning-effort',
  'restore-chat-history',
  'set-env',
  'show-diffs',
  'show-model-warnings',
  'show-prompts',
  'show-release-notes',
  'show-repo-map',
  'skip-sanity-check-repo',
  'sonnet',
  'stream',
  'subtree-only',
  'suggest-shell-commands',
  'test',
  'test-cmd',
  'thinking-tokens',
  'timeout',
  'tool-error-color',
  'tool-output-color',
  'tool-warning-color',
  'upgrade',
  'user-input-color',
  'verbose',
  'verify-ssl',
  'version',
  'vim',
  'voice-format',
  'voice-input-device',
  'voice-language',
  'watch-files',
  'weak-model',
  'yes-always',
  'auto-accept-architect',
  'git-commit-verify',
  'add-gitignore-files',
  'co-authored-by',
  'shell-completions',
])

export interface AiderOptions {
  context: 'workstation' | 'ci'
  yesAlways?: Origin
  suggestShell?: {value: boolean; at: Origin}
  lint: {value: string; at: Origin}[]
  test: {value: string; at: Origin}[]
  autoLint?: {value: boolean; at: Origin}
  autoTest?: {value: boolean; at: Origin}
  autoCommits?: {value: boolean; at: Origin}
  commitVerify?: {value: boolean; at: Origin}
  detectUrls?: {value: boolean; at: Origin}
  attribution: {value: boolean; at: Origin}[]
  base: Origin
}

export function aiderFacts(c: Collector, o: AiderOptions): void {
  if (o.context === 'workstation') {
    c.fact(
      'agent.autonomy',
      o.yesAlways ? 'autonomous' : 'supervised',
      o.yesAlways ?? {...o.base, text: 'yes-always not set: aider asks before acting'},
    )
  }
  const suggest = o.suggestShell?.value !== false
  if (o.yesAlways && suggest) {
    c.fact('tools.shell', 'unrestricted', {...o.yesAlways, text: `${o.yesAlways.text} (suggested shell commands run without confirmation)`})
    c.fact('tools.fileSystem', 'host', o.yesAlways)
    c.fact('tools.network', 'unrestricted', o.yesAlways)
    c.fact('tools.packageInstall', 'any', o.yesAlways)
  } else {
    const auto = [...(o.autoLint?.value !== false ? o.lint : []), ...(o.autoTest?.value ? o.test : [])]
    for (const cmd of auto) {
      const v = classifyCommand(cmd.value, true)
      c.fact('tools.shell', 'allowlist', cmd.at)
      c.fact('tools.shellAllowlist', [cmd.value], cmd.at)
      if (v.install) c.fact('tools.packageInstall', v.install, cmd.at)
    }
    if (auto.length === 0) {
      c.fact(
        'tools.shell',
        suggest ? 'allowlist' : 'none',
        o.suggestShell?.at ?? {...o.base, text: 'aider suggests shell commands and asks before running them'},
      )
    }
  }
  c.fact('tools.fileSystem', 'workspace', {...o.base, text: 'aider edits files in the git repository'})
  if (o.yesAlways && o.detectUrls?.value !== false) {
    c.fact(
      'agent.untrustedInputs',
      ['web-pages'],
      o.detectUrls?.at ?? {...o.yesAlways, text: `${o.yesAlways.text} (URLs in messages are scraped without asking)`},
    )
  }
  if (o.autoCommits?.value !== false) {
    const at = o.autoCommits?.at ?? {...o.base, text: 'auto-commits defaults to true'}
    c.warn('auto-commits', at, 'aider commits every change it makes (auto-commits): review happens after the fact, in the pull request')
  }
  if (o.commitVerify && !o.commitVerify.value) {
    c.warn('no-verify', o.commitVerify.at, 'aider commits with --no-verify: pre-commit hooks (linters, secret scanners) are skipped')
  } else if (!o.commitVerify && o.autoCommits?.value !== false && o.context === 'workstation') {
    // aider's default is git-commit-verify: false
    c.warn(
      'no-verify',
      o.autoCommits?.at ?? o.base,
      'aider commits with --no-verify by default (git-commit-verify: false): pre-commit hooks are skipped',
    )
  }
  for (const a of o.attribution) c.fact('observability.attribution', a.value, a.at)
}

/** Options from an aider command line. */
export function aiderFlags(words: string[], at: Origin, context: 'workstation' | 'ci'): AiderOptions {
  const o: AiderOptions = {context, lint: [], test: [], attribution: [], base: at}
  const flag = (text: string): Origin => ({...at, text})
  if (hasFlag(words, '--yes-always', '--yes')) o.yesAlways = flag('--yes-always')
  if (hasFlag(words, '--no-suggest-shell-commands')) o.suggestShell = {value: false, at: flag('--no-suggest-shell-commands')}
  if (hasFlag(words, '--no-auto-commits')) o.autoCommits = {value: false, at: flag('--no-auto-commits')}
  else if (hasFlag(words, '--auto-commits')) o.autoCommits = {value: true, at: flag('--auto-commits')}
  if (hasFlag(words, '--git-commit-verify')) o.commitVerify = {value: true, at: flag('--git-commit-verify')}
  if (hasFlag(words, '--no-git-commit-verify')) o.commitVerify = {value: false, at: flag('--no-git-commit-verify')}
  if (hasFlag(words, '--auto-test')) o.autoTest = {value: true, at: flag('--auto-test')}
  for (const v of flagValues(words, '--test-cmd')) o.test.push({value: v, at: flag(`--test-cmd ${v}`)})
  for (const v of flagValues(words, '--lint-cmd')) o.lint.push({value: v, at: flag(`--lint-cmd ${v}`)})
  return o
}

/** `.aider.conf.yml`. */
export function readAiderConfig(file: ConfigFile, c: Collector): void {
  const doc = c.parseOrSkip(() => parseYamlDoc(file))
  if (!doc) return
  if (doc.value === null || doc.value === undefined) return
  if (!isObject(doc.value)) {
    c.warn('invalid-config', {file: doc.file, ...doc.at([])}, 'an aider configuration must be a YAML mapping; the file is ignored')
    return
  }
  const cfg = doc.value
  const base = {file: file.path, line: 1, column: 1, text: `aider configuration (${file.path})`}
  c.agent('aider', base, 'aider configuration')
  c.many(base, [
    ['agent.product', 'aider'],
    ['agent.runtime', 'developer-workstation'],
  ])
  c.fact('sandbox.ephemeral', false, {...base, text: 'runs on a developer workstation, not destroyed after a session'})
  c.fact('sandbox.type', 'none', {...base, text: 'aider runs directly on the host, without a sandbox'})
  warnUnknownKeys(c, doc, [], cfg, AIDER_KEYS, 'aider option')
  const bool = (key: string): {value: boolean; at: Origin} | undefined =>
    typeof cfg[key] === 'boolean' ? {value: cfg[key] as boolean, at: doc.origin([key])} : undefined
  const cmds = (key: string): {value: string; at: Origin}[] => {
    const v = cfg[key]
    if (isObject(v))
      return Object.entries(v).flatMap(([k, x]) =>
        typeof x === 'string' ? [{value: x, at: doc.origin([key, k], `${key} ${k}: ${x}`)}] : [],
      )
    return strings(v).map((x, i) => ({value: x.replace(/^\w+:\s*/, ''), at: doc.origin(Array.isArray(v) ? [key, i] : [key], x)}))
  }
  const yes = bool('yes-always')
  const o: AiderOptions = {
    context: 'workstation',
    yesAlways: yes?.value ? yes.at : undefined,
    suggestShell: bool('suggest-shell-commands'),
    lint: cmds('lint-cmd'),
    test: cmds('test-cmd'),
    autoLint: bool('auto-lint'),
    autoTest: bool('auto-test'),
    autoCommits: bool('auto-commits'),
    commitVerify: bool('git-commit-verify'),
    detectUrls: bool('detect-urls'),
    attribution: [],
    base,
  }
  const author = bool('attribute-author')
  const committer = bool('attribute-committer')
  const coauthor = bool('attribute-co-authored-by')
  if (author || committer || coauthor) {
    // defaults: author and committer attributed, co-authored-by not
    const value = (author?.value ?? true) || (committer?.value ?? true) || (coauthor?.value ?? false)
    o.attribution.push({value, at: (author ?? committer ?? coauthor)!.at})
  }
  aiderFacts(c, o)
  const model = str(cfg.model)
  if (model) modelFacts(c, 'openai', model, doc.origin(['model']))
  // keys written into the file
  for (const key of ['openai-api-key', 'anthropic-api-key', 'api-key', 'set-env']) {
    const v = cfg[key]
    if (v === undefined) continue
    const hits = findSecrets({[key]: v})
    if (hits.length > 0) credentialInSource(c, `aider:${key}`, hits[0].kind, doc.origin([key], key))
  }
  if (cfg['install-main-branch'] === true) {
    c.warn('unpinned-tool', doc.origin(['install-main-branch']), 'install-main-branch installs aider from its main branch, not a release')
  }
}
