/**
 * MCP servers, from every client's file (`.mcp.json`, `.cursor/mcp.json`, `.vscode/mcp.json`,
 * Gemini and Codex settings, workflow inputs): launcher and package pin, publisher, transport,
 * credentials (references versus literal secrets), and what the server can do.
 */
import type {Path} from '../paths.js'
import {findSecrets} from '../secrets.js'
import {credentialInSource} from './claude.js'
import type {Collector, Origin} from './collector.js'
import {isObject, obj, parseJsoncDoc, problemsOf, str, strings, type SourceDoc} from './source.js'
import type {ConfigFile} from './types.js'
import {warnUnknownKeys} from './unknown.js'

export type McpClient = 'claude' | 'cursor' | 'vscode' | 'gemini' | 'codex'

const CLIENT_KEYS: Record<McpClient, ReadonlySet<string>> = {
  claude: new Set([
    'type',
    'command',
    'args',
    'env',
    'url',
    'headers',
    'headersHelper',
    'oauth',
    'timeout',
    'alwaysLoad',
    'cwd',
    'description',
  ]),
  cursor: new Set(['type', 'command', 'args', 'env', 'envFile', 'url', 'headers', 'auth', 'disabled', 'description']),
  vscode: new Set([
    'type',
    'command',
    'args',
    'env',
    'envFile',
    'cwd',
    'url',
    'headers',
    'dev',
    'sandboxEnabled',
    'sandbox',
    'description',
  ]),
  gemini: new Set([
    'command',
    'args',
    'env',
    'cwd',
    'url',
    'httpUrl',
    'headers',
    'timeout',
    'trust',
    'includeTools',
    'excludeTools',
    'description',
    'oauth',
    'authProviderType',
    'targetAudience',
    'targetServiceAccount',
    'type',
    'extensionName',
  ]),
  codex: new Set([
    'command',
    'args',
    'env',
    'env_vars',
    'cwd',
    'url',
    'bearer_token_env_var',
    'bearer_token',
    'http_headers',
    'env_http_headers',
    'enabled',
    'enabled_tools',
    'disabled_tools',
    'startup_timeout_sec',
    'startup_timeout_ms',
    'tool_timeout_sec',
    'oauth',
    'required',
    'scopes',
  ]),
}

/** Publishers we recognise: package scopes, package names, image prefixes, remote hosts. */
const VENDOR_PACKAGES: readonly RegExp[] = [
  /^@(modelcontextprotocol|anthropic-ai|playwright|github|azure|azure-devops|microsoft|cloudflare|stripe|sentry|supabase|notionhq|upstash|browserbasehq|heroku|vercel|aws|google-cloud|mongodb-js|neondatabase|linear|atlassian|shopify|elastic|hubspot|paypal|salesforce|figma|datadog|grafana|twilio-alpha|hashicorp|gitlab-org|circleci|snyk|sonarsource)\//,
  /^(chrome-devtools-mcp|firecrawl-mcp|mcp-server-(fetch|git|time|sqlite)|awslabs\.[\w.-]+|semgrep-mcp)$/,
  /^(ghcr\.io\/github\/|mcp\/|docker\.io\/mcp\/|docker\.io\/library\/|hashicorp\/|ghcr\.io\/modelcontextprotocol\/|mcr\.microsoft\.com\/)/,
]
const VENDOR_HOSTS =
  /(^|\.)(githubcopilot\.com|github\.com|linear\.app|sentry\.dev|notion\.com|atlassian\.com|stripe\.com|supabase\.com|vercel\.com|cloudflare\.com|asana\.com|paypal\.com|squareup\.com|context7\.com|deepwiki\.com|figma\.com|neon\.tech|hubspot\.com|intercom\.com|zapier\.com|googleapis\.com|microsoft\.com|atlassian\.net|gitlab\.com|huggingface\.co|anthropic\.com|openai\.com)$/i
const INTERNAL_HOSTS =
  /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|host\.docker\.internal)$|\.(internal|local|corp|lan|intranet)$/i

/** Reference servers moved or archived upstream: still installable, no longer maintained. */
const DEPRECATED =
  /^@modelcontextprotocol\/server-(github|gitlab|puppeteer|brave-search|slack|gdrive|google-maps|postgres|sqlite|redis|sentry|aws-kb-retrieval|everart)$/

/** What a server can do, by package, image or URL. */
const CAPABILITIES: readonly {match: RegExp; label: string; facts: [string, unknown][]; permissions: string[]}[] = [
  {match: /server-filesystem|(^|[/-])filesystem($|[-@])/i, label: 'file system', facts: [], permissions: ['read', 'write']},
  {
    match: /fetch|firecrawl|pure\.md|web-search|brave-search|tavily|exa-mcp|jina/i,
    label: 'web fetch',
    facts: [
      ['tools.network', 'unrestricted'],
      ['agent.untrustedInputs', ['web-pages']],
    ],
    permissions: ['network'],
  },
  {
    match: /puppeteer|playwright|browserbase|chrome-devtools|browser|selenium/i,
    label: 'browser',
    facts: [
      ['tools.browser', true],
      ['tools.network', 'unrestricted'],
      ['agent.untrustedInputs', ['web-pages']],
    ],
    permissions: ['browser'],
  },
  {
    match: /desktop-commander|mcp-shell|shell-server|server-shell|terminal|iterm-mcp|mcp-server-commands|run-command|code-runner/i,
    label: 'shell',
    facts: [
      ['tools.shell', 'unrestricted'],
      ['tools.fileSystem', 'host'],
    ],
    permissions: ['execute'],
  },
  {
    match: /github-mcp-server|server-github|githubcopilot\.com\/mcp|(^|\/)github$/i,
    label: 'GitHub',
    facts: [['agent.untrustedInputs', ['issue-bodies', 'pr-comments']]],
    permissions: ['read', 'write'],
  },
  {
    match: /gitlab|linear|jira|atlassian|asana|sentry/i,
    label: 'issue tracker',
    facts: [['agent.untrustedInputs', ['issue-bodies']]],
    permissions: ['read', 'write'],
  },
  {
    match: /slack|discord|teams|telegram/i,
    label: 'chat',
    facts: [['agent.untrustedInputs', ['chat-messages']]],
    permissions: ['read', 'write'],
  },
  {match: /gmail|email|outlook|imap/i, label: 'email', facts: [['agent.untrustedInputs', ['email']]], permissions: ['read']},
  {
    match: /gdrive|google-drive|notion|confluence|sharepoint|onedrive/i,
    label: 'documents',
    facts: [['agent.untrustedInputs', ['documents']]],
    permissions: ['read'],
  },
  {
    match: /postgres|mysql|sqlite|mongodb|redis|supabase|neon|bigquery|snowflake|database/i,
    label: 'database',
    facts: [],
    permissions: ['database'],
  },
]

const BROAD_SECRET_NAME =
  /PERSONAL_ACCESS_TOKEN|(^|_)PAT($|_)|^GH_TOKEN$|^GITHUB_TOKEN$|AWS_SECRET|AWS_ACCESS_KEY|DATABASE_URL|CONNECTION_STRING|ADMIN|ROOT|SERVICE_ROLE/i
const SECRET_NAME = /TOKEN|KEY|SECRET|PASSWORD|PASSWD|PAT|AUTH|CREDENTIAL|COOKIE|SESSION/i
const REFERENCE = /^\s*(\$\{[^}]+\}|\$[A-Za-z_]\w*|\{env:[^}]+\}|%[A-Za-z_]\w*%)\s*$|\$\{(input|env):/

export interface McpContext {
  client: McpClient
  /** Path of the server map in the document (`['mcpServers']`). */
  base: Path
  originOf(path: Path, text?: string): Origin
  doc?: SourceDoc
}

interface Package {
  launcher: string
  name: string
  version?: string
  pinned: boolean
  kind: 'npm' | 'pypi' | 'image' | 'local' | 'binary'
}

const NPM_LAUNCHERS = new Set(['npx', 'bunx', 'pnpx'])
const FLAGS_WITH_VALUE = new Set([
  '-p',
  '--package',
  '--from',
  '--with',
  '--spec',
  '--python',
  '-e',
  '--env',
  '-v',
  '--volume',
  '--name',
  '--network',
  '--net',
  '-w',
  '--workdir',
  '--user',
  '-u',
  '--platform',
  '--entrypoint',
  '--pull',
  '--mount',
  '--env-file',
  '--cpus',
  '-m',
  '--memory',
  '--cap-add',
  '--cap-drop',
  '--label',
  '-l',
  '--add-host',
  '--dns',
  '--hostname',
  '-h',
  '--registry',
  '--index-url',
  '--directory',
  '--cache-dir',
  '--userconfig',
  '--loglevel',
])

function baseName(cmd: string): string {
  return cmd
    .replace(/\\/g, '/')
    .split('/')
    .pop()!
    .replace(/\.(cmd|exe|bat)$/i, '')
}

function firstOperand(args: string[], from = 0): {value?: string; index: number} {
  for (let i = from; i < args.length; i++) {
    const a = args[i]
    if (a === '--') return {value: args[i + 1], index: i + 1}
    if (a.startsWith('-')) {
      if (FLAGS_WITH_VALUE.has(a)) i++
      continue
    }
    return {value: a, index: i}
  }
  return {index: -1}
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][\w.-]+)?$/

function npmSpec(spec: string): {name: string; version?: string} {
  const at = spec.lastIndexOf('@')
  if (at > 0) return {name: spec.slice(0, at), version: spec.slice(at + 1)}
  return {name: spec}
}

function pypiSpec(spec: string): {name: string; version?: string; exact: boolean} {
  const m = /^([A-Za-z0-9_.\-[\]]+?)\s*(==|@|>=|~=|<=|>|<)\s*(.+)$/.exec(spec)
  if (!m) return {name: spec, exact: false}
  return {name: m[1], version: m[3], exact: (m[2] === '==' || m[2] === '@') && EXACT_VERSION.test(m[3])}
}

/** Which package a stdio command launches, and whether its version is pinned. */
export function packageOf(command: string, args: string[]): Package | undefined {
  const launcher = baseName(command)
  const lower = launcher.toLowerCase()
  const sub = (n: number): string[] => args.slice(n)
  if (
    NPM_LAUNCHERS.has(lower) ||
    ((lower === 'pnpm' || lower === 'yarn') && args[0] === 'dlx') ||
    (lower === 'bun' && args[0] === 'x') ||
    (lower === 'npm' && (args[0] === 'exec' || args[0] === 'x'))
  ) {
    const rest = NPM_LAUNCHERS.has(lower) ? args : sub(1)
    const pkgFlag = rest.findIndex((a) => a === '-p' || a === '--package' || a.startsWith('--package='))
    const spec =
      pkgFlag >= 0 ? (rest[pkgFlag].startsWith('--package=') ? rest[pkgFlag].slice(10) : rest[pkgFlag + 1]) : firstOperand(rest).value
    if (!spec) return undefined
    const {name, version} = npmSpec(spec)
    return {launcher, name, version, pinned: version !== undefined && EXACT_VERSION.test(version), kind: 'npm'}
  }
  if (lower === 'uvx' || (lower === 'uv' && (args[0] === 'tool' || args[0] === 'x')) || (lower === 'pipx' && args[0] === 'run')) {
    const rest = lower === 'uvx' ? args : lower === 'uv' && args[0] === 'tool' ? sub(2) : sub(1)
    const from = rest.findIndex((a) => a === '--from' || a === '--spec')
    const spec = from >= 0 ? rest[from + 1] : firstOperand(rest).value
    if (!spec) return undefined
    const p = pypiSpec(spec)
    return {launcher, name: p.name, version: p.version, pinned: p.exact, kind: 'pypi'}
  }
  if (lower === 'dnx') {
    const spec = firstOperand(args).value
    if (!spec) return undefined
    const {name, version} = npmSpec(spec)
    return {launcher, name, version, pinned: version !== undefined && EXACT_VERSION.test(version), kind: 'npm'}
  }
  if ((lower === 'docker' || lower === 'podman') && args[0] === 'run') {
    const image = firstOperand(args, 1).value
    if (!image) return undefined
    const digest = /@(sha256:[a-f0-9]{64})$/.exec(image)
    const noDigest = digest ? image.slice(0, digest.index) : image
    const tagAt = noDigest.lastIndexOf(':')
    const tag = tagAt > noDigest.lastIndexOf('/') ? noDigest.slice(tagAt + 1) : undefined
    const name = tag !== undefined ? noDigest.slice(0, tagAt) : noDigest
    return {launcher, name, version: digest ? digest[1] : tag, pinned: digest !== null, kind: 'image'}
  }
  if (lower === 'deno' && args[0] === 'run') {
    const spec = args.find((a) => a.startsWith('npm:') || a.startsWith('jsr:'))
    if (spec) {
      const {name, version} = npmSpec(spec.slice(4))
      return {launcher, name, version, pinned: version !== undefined && EXACT_VERSION.test(version), kind: 'npm'}
    }
  }
  // code from the repository: node ./tools/server.js, python -m tools.mcp, uv run --directory ./mcp …
  const local = (s: string): boolean =>
    /^(\.{1,2}\/|\$\{workspaceFolder\}|\$\{CLAUDE_PROJECT_DIR\}|\$\{PWD\}|[\w-]+\/[\w./-]+\.(js|mjs|cjs|ts|py|sh)$)/.test(s)
  if (local(command) || (/^(node|python3?|bun|deno|tsx|ts-node|sh|bash|uv|ruby|go)$/.test(lower) && args.some(local))) {
    const path = local(command) ? command : args.find(local)!
    return {launcher, name: path, pinned: true, kind: 'local'}
  }
  return {launcher, name: launcher, pinned: false, kind: 'binary'}
}

function sourceOfPackage(p: Package): 'internal' | 'vendor' | 'community' | undefined {
  if (p.kind === 'local') return 'internal'
  if (p.kind === 'binary') return undefined
  if (VENDOR_PACKAGES.some((re) => re.test(p.name))) return 'vendor'
  return 'community'
}

function hostOf(url: string): string | undefined {
  const m = /^[a-z][\w+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(url.trim())
  return m ? m[1].toLowerCase() : undefined
}

/** Facts for one MCP server entry. */
export function analyzeMcpServer(c: Collector, name: string, entry: unknown, ctx: McpContext): void {
  const path = [...ctx.base, name]
  const at = ctx.originOf(path, `MCP server "${name}"`)
  if (!isObject(entry)) {
    c.warn('invalid-config', at, `MCP server "${name}" is not an object; it is ignored`)
    return
  }
  if (ctx.doc) warnUnknownKeys(c, ctx.doc, path, entry, CLIENT_KEYS[ctx.client], 'MCP server field')
  if (entry.enabled === false || entry.disabled === true) return
  const item = (field: string, value: unknown, where: Origin = at): void => c.itemFact('tools.mcpServers', name, field, value, where)
  item('name', name)

  const url = str(entry.httpUrl) ?? str(entry.url) ?? str(entry.serverUrl)
  const type = str(entry.type)
  const command = str(entry.command)
  const args = strings(entry.args)
  const transport = url || (type && /^(http|sse|ws|streamable-?http)$/i.test(type)) ? 'http' : 'stdio'
  item(
    'transport',
    transport,
    ctx.originOf(
      [...path, url ? (entry.httpUrl ? 'httpUrl' : 'url') : command ? 'command' : 'type'].filter((x) => x !== undefined) as Path,
    ),
  )
  if (type === undefined && url && ctx.client === 'claude') {
    c.warn('invalid-config', at, `MCP server "${name}" has a url but no type: Claude Code reports this as a configuration error`)
  }

  let identity = name
  if (transport === 'http' && url) {
    const where = ctx.originOf([...path, entry.httpUrl ? 'httpUrl' : 'url'])
    const host = hostOf(url)
    identity = url
    const internal = host !== undefined && INTERNAL_HOSTS.test(host)
    if (host && !url.includes('${')) {
      const source = internal ? 'internal' : VENDOR_HOSTS.test(host) ? 'vendor' : undefined
      if (source) item('source', source, where)
    }
    if (!internal) {
      // a hosted server changes when its operator deploys; a local one is whatever runs there (unknown)
      item('pinned', false, {...where, text: `remote server ${host ?? url}: its code can change without a version bump`})
      c.tool({kind: 'mcp-server', name, pinned: false, ...where})
    }
  } else if (command) {
    const where = ctx.originOf([...path, 'command'], [command, ...args].join(' '))
    const pkg = packageOf(command, args)
    if (pkg) {
      identity = pkg.name
      const source = sourceOfPackage(pkg)
      if (source) item('source', source, where)
      if (pkg.kind !== 'binary') {
        item('pinned', pkg.pinned, where)
        if (pkg.version) item('version', pkg.version, where)
        c.tool({kind: 'mcp-server', name, pinned: pkg.pinned, ...where})
      }
      if (pkg.kind !== 'local' && pkg.kind !== 'binary' && !pkg.pinned) {
        const what =
          pkg.kind === 'image'
            ? `the tag "${pkg.version ?? 'latest'}" can be moved; pin a digest (@sha256:…)`
            : pkg.version
              ? `"${pkg.version}" is not an exact version`
              : 'no version, so the newest release runs at every start'
        c.warn('unpinned-mcp-server', where, `MCP server "${name}" runs ${pkg.name} through ${pkg.launcher}: ${what}`)
      }
      if (DEPRECATED.test(pkg.name))
        c.warn('deprecated-package', where, `MCP server "${name}" uses ${pkg.name}, which is archived upstream and no longer maintained`)
      if (pkg.kind === 'image') dockerFacts(c, args, where)
    }
  }

  // capabilities
  const subject = `${identity} ${name}`
  const permissions = new Set<string>()
  for (const cap of CAPABILITIES) {
    if (!cap.match.test(subject)) continue
    for (const p of cap.permissions) permissions.add(p)
    c.many({...at, text: `MCP server "${name}" (${cap.label})`}, cap.facts)
    if (cap.label === 'file system') {
      for (const a of args.slice(1)) {
        const reach =
          a === '/' || /^[A-Za-z]:\\?$/.test(a) ? 'host' : /^(~|\$HOME|\/Users\/|\/home\/|%USERPROFILE%)/.test(a) ? 'home' : undefined
        if (reach) c.fact('tools.fileSystem', reach, {...at, text: `MCP server "${name}" serves ${a}`})
        else if (!a.startsWith('-') && (a.startsWith('.') || a.includes('${workspaceFolder}') || a.includes('${CLAUDE_PROJECT_DIR}'))) {
          c.fact('tools.fileSystem', 'workspace', {...at, text: `MCP server "${name}" serves ${a}`})
        }
      }
    }
  }
  if (permissions.size > 0) item('permissions', [...permissions].sort())

  // credentials the server holds
  const secretsIn: {key: string; value: unknown; base: string}[] = []
  for (const key of ['env', 'headers', 'http_headers', 'env_http_headers'] as const) {
    for (const [k, v] of Object.entries(obj(entry[key]))) secretsIn.push({key: k, value: v, base: key})
  }
  let credentials: string | undefined
  const raise = (level: string): void => {
    const order = ['none', 'scoped-token', 'broad-token', 'user-session']
    if (credentials === undefined || order.indexOf(level) > order.indexOf(credentials)) credentials = level
  }
  let credAt: Origin = at
  for (const {key, value, base} of secretsIn) {
    const v = str(value) ?? ''
    const named = SECRET_NAME.test(key) || /^authorization$/i.test(key)
    const literal = findSecrets({[key]: v})
    const where = ctx.originOf([...path, base, key], `${base}.${key}`)
    if (literal.length > 0) {
      credentialInSource(c, `mcp:${name}:${key}`, literal[0].kind, where)
      raise(
        literal[0].kind === 'github-token' && /^ghp_/.test(v)
          ? 'broad-token'
          : BROAD_SECRET_NAME.test(key)
            ? 'broad-token'
            : 'scoped-token',
      )
      credAt = where
    } else if (named && v !== '') {
      raise(BROAD_SECRET_NAME.test(key) ? 'broad-token' : 'scoped-token')
      credAt = where
      if (!REFERENCE.test(v) && !/\$\{/.test(v) && ctx.client !== 'codex') {
        // neither a reference nor recognised as a secret: still a value in the file
        c.warn(
          'inline-credential',
          where,
          `MCP server "${name}" sets ${base}.${key} to a value in the file; use a reference such as \${VAR} or \${input:…}`,
        )
      }
    }
  }
  for (const [i, a] of args.entries()) {
    for (const m of a.matchAll(/\$\{(?:env:)?([A-Za-z_]\w*)(?::-[^}]*)?\}|^\$([A-Za-z_]\w*)$/g)) {
      const ref = m[1] ?? m[2]
      if (SECRET_NAME.test(ref) || BROAD_SECRET_NAME.test(ref)) {
        raise(BROAD_SECRET_NAME.test(ref) ? 'broad-token' : 'scoped-token')
        credAt = ctx.originOf([...path, 'args', i], `args: ${a}`)
      }
    }
    const hits = findSecrets([a])
    if (hits.length > 0) {
      const where = ctx.originOf([...path, 'args', i], `args[${i}]`)
      credentialInSource(c, `mcp:${name}:args`, hits[0].kind, where)
      raise(hits[0].kind === 'credentials-in-url' ? 'broad-token' : 'scoped-token')
      credAt = where
    }
  }
  if (str(entry.bearer_token_env_var)) {
    raise('scoped-token')
    credAt = ctx.originOf([...path, 'bearer_token_env_var'])
  }
  if (entry.bearer_token !== undefined) {
    c.warn(
      'invalid-config',
      ctx.originOf([...path, 'bearer_token']),
      `MCP server "${name}": Codex rejects an inline bearer_token; use bearer_token_env_var`,
    )
  }
  if (isObject(entry.oauth) || entry.authProviderType !== undefined) {
    raise('user-session')
    credAt = ctx.originOf([...path, isObject(entry.oauth) ? 'oauth' : 'authProviderType'])
  }
  if (credentials) item('credentials', credentials, credAt)
  if (entry.trust === true) {
    c.warn('mcp-trust', ctx.originOf([...path, 'trust']), `MCP server "${name}" has trust: true: its tools run without confirmation`)
  }
  if (str(entry.headersHelper)) {
    c.warn(
      'mcp-headers-helper',
      ctx.originOf([...path, 'headersHelper']),
      `MCP server "${name}" runs a shell command (headersHelper) at connect time`,
    )
  }
}

/** docker run flags that widen the container's reach. */
function dockerFacts(c: Collector, args: string[], at: Origin): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const next = args[i + 1] ?? ''
    const mount = a === '-v' || a === '--volume' ? next : a.startsWith('--volume=') ? a.slice(9) : a === '--mount' ? next : ''
    if (mount) {
      const hostPath = mount.includes('source=') ? (/source=([^,]+)/.exec(mount)?.[1] ?? '') : mount.split(':')[0]
      if (hostPath === '/' || hostPath.includes('docker.sock')) c.fact('tools.fileSystem', 'host', {...at, text: `docker ${a} ${mount}`})
      else if (/^(~|\$HOME|\$\{HOME\}|\/Users\/|\/home\/)/.test(hostPath))
        c.fact('tools.fileSystem', 'home', {...at, text: `docker ${a} ${mount}`})
    }
    if (a === '--privileged') c.fact('tools.fileSystem', 'host', {...at, text: 'docker --privileged'})
  }
}

/** Read an MCP server map (`mcpServers` or VS Code `servers`) from a parsed document. */
export function readServerMap(c: Collector, doc: SourceDoc, key: string, client: McpClient): void {
  const root = obj(doc.value)
  const servers = root[key]
  if (servers === undefined) return
  if (!isObject(servers)) {
    c.warn('invalid-config', doc.origin([key]), `"${key}" must be an object of servers; it is ignored`)
    return
  }
  for (const name of Object.keys(servers)) {
    analyzeMcpServer(c, name, servers[name], {client, base: [key], originOf: (p, t) => doc.origin(p, t), doc})
  }
}

const FILE_KEYS: Record<string, {key: string; client: McpClient; top: string[]; product?: string}> = {
  '.mcp.json': {key: 'mcpServers', client: 'claude', top: ['mcpServers', '$schema'], product: 'claude-code'},
  '.cursor/mcp.json': {key: 'mcpServers', client: 'cursor', top: ['mcpServers', '$schema'], product: 'cursor'},
  '.vscode/mcp.json': {key: 'servers', client: 'vscode', top: ['servers', 'inputs', '$schema']},
}

/** `.mcp.json`, `.cursor/mcp.json`, `.vscode/mcp.json`. */
export function readMcpFile(file: ConfigFile, c: Collector): void {
  const spec = FILE_KEYS[file.path]
  const doc = c.parseOrSkip(() => parseJsoncDoc(file))
  if (!doc) return
  c.diagnostics(problemsOf(doc))
  if (!isObject(doc.value)) {
    c.warn('invalid-config', {file: doc.file, ...doc.at([])}, 'an MCP configuration must be a JSON object; the file is ignored')
    return
  }
  warnUnknownKeys(c, doc, [], doc.value, new Set(spec.top), 'MCP file key')
  if (spec.product) {
    const at = doc.origin([], `${file.path} (project MCP servers)`)
    c.agent(spec.product, at, `project MCP servers (${file.path})`)
    c.fact('agent.product', spec.product, at)
  }
  readServerMap(c, doc, spec.key, spec.client)
}
