/**
 * Secret detection for parsed manifests and raw configuration text.
 *
 * Pure and dependency-free. Two entry points:
 *  - `findSecrets(value)` walks a parsed JSON/YAML value (keys included) and reports where a
 *    credential appears to be pasted in, by path;
 *  - `findSecretsInText(text)` scans raw text (agent configs, .env files, JSON) and reports offsets.
 *
 * Detection combines vendor token formats (a table of detectors below) with a key-name +
 * entropy heuristic for values stored under secret-sounding keys. Everything is tuned to stay
 * quiet on the manifest's own vocabulary: enum values, ids, references such as
 * `${{ secrets.X }}`, placeholders, URLs without credentials, dates, versions, SHAs, UUIDs.
 *
 * A hit's `preview` never contains any of the secret's random part: it is at most the
 * format's well-known prefix (capped at PREVIEW_MAX_PREFIX characters) followed by "…".
 */

export type SecretKind =
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'gcp-service-account-key'
  | 'gcp-api-key'
  | 'azure-storage-key'
  | 'azure-connection-string'
  | 'openai-api-key'
  | 'anthropic-api-key'
  | 'npm-token'
  | 'pypi-token'
  | 'stripe-key'
  | 'private-key'
  | 'jwt'
  | 'credentials-in-url'
  | 'high-entropy-value'

export interface SecretHit {
  /** Path from the root of the scanned value (object keys and array indices). */
  path: (string | number)[]
  kind: SecretKind
  /** Human-readable name of the kind, e.g. "GitHub token". */
  label: string
  /** A short, safe prefix such as "ghp_…" or "…": never any of the secret's random part. */
  preview: string
  /**
   * True when the secret was found in an object key rather than a value. The key is then
   * replaced by its preview in `path` (here and in the paths of hits below it), so that paths
   * are as safe to print as previews.
   */
  inKey?: boolean
}

export interface TextSecretHit {
  kind: SecretKind
  label: string
  preview: string
  /** Offset of the secret in the scanned text. */
  index: number
}

export interface FindSecretsOptions {
  /** Stop after this many hits (default 1000). */
  maxHits?: number
}

export const SECRET_LABELS: Readonly<Record<SecretKind, string>> = {
  'github-token': 'GitHub token',
  'gitlab-token': 'GitLab token',
  'slack-token': 'Slack token',
  'slack-webhook': 'Slack webhook URL',
  'aws-access-key-id': 'AWS access key ID',
  'aws-secret-access-key': 'AWS secret access key',
  'gcp-service-account-key': 'GCP service account key',
  'gcp-api-key': 'Google Cloud API key',
  'azure-storage-key': 'Azure storage account key',
  'azure-connection-string': 'Azure connection string with key',
  'openai-api-key': 'OpenAI API key',
  'anthropic-api-key': 'Anthropic API key',
  'npm-token': 'npm access token',
  'pypi-token': 'PyPI API token',
  'stripe-key': 'Stripe secret key',
  'private-key': 'Private key',
  jwt: 'JSON Web Token',
  'credentials-in-url': 'Credentials in URL',
  'high-entropy-value': 'High-entropy value under a secret-named key',
}

/** Longest prefix of a secret a preview may show. */
export const PREVIEW_MAX_PREFIX = 8
const ELLIPSIS = '…'
const DEFAULT_MAX_HITS = 1000

// ---------------------------------------------------------------------------------------------
// Value heuristics
// ---------------------------------------------------------------------------------------------

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0
  const counts = new Map<string, number>()
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) {
    const p = n / s.length
    bits -= p * Math.log2(p)
  }
  return bits
}

/** Character classes present: lower, upper, digit and (optionally) symbols other than separators. */
function charClasses(s: string, countSymbols: boolean): number {
  let n = 0
  if (/[a-z]/.test(s)) n++
  if (/[A-Z]/.test(s)) n++
  if (/[0-9]/.test(s)) n++
  if (countSymbols && /[^A-Za-z0-9\-_.:/@+\s]/.test(s)) n++
  return n
}

function wordSet(words: string): ReadonlySet<string> {
  return new Set(words.trim().split(/\s+/))
}

const WORD_TOKEN = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g
const CONSONANT_RUN = /[b-df-hj-np-tv-xz]{5,}/i
/** Common words of identifiers that have no vowel. */
const VOWELLESS_WORDS = wordSet(`
  http https html xml sql tcp udp dns ssh ssl tls cdn src cfg pkg cmd ctx msg tmp str std dst srv
  md ts js db fs mfa jwt crt pw gz xz tgz rpc grpc npm pnpm lts
`)

/**
 * True for strings made of word-like parts: kebab/snake/camel-case identifiers, enum values,
 * ids such as CTL-JIT-SECRETS, file names. Random tokens almost never look like this (about
 * 1 in 1000 for 16 random base62 characters, effectively never from 32 on).
 */
export function isIdentifierLike(s: string): boolean {
  const parts = s.split(/[^A-Za-z0-9]+/).filter(Boolean)
  if (parts.length === 0) return true
  let words = 0
  let length = 0
  for (const part of parts) {
    const tokens = part.match(WORD_TOKEN) ?? []
    for (let i = 0; i < tokens.length; i++) {
      const w = tokens[i]
      if (/^[0-9]/.test(w)) {
        // digits only as a trailing version/number: v2, Summer2024, ed25519
        if (i !== tokens.length - 1) return false
        continue
      }
      if (w.length === 1) {
        if (i !== 0) return false
        continue
      }
      const hasVowel = /[aeiouy]/i.test(w)
      const isAcronym = w === w.toUpperCase() && w.length <= 5
      const isKnown = VOWELLESS_WORDS.has(w.toLowerCase())
      const isShortWord = tokens.length <= 2 && i === 0 && w.length <= 3 // gpt-4o, ci
      if (!hasVowel && !isAcronym && !isKnown && !isShortWord) return false
      if (CONSONANT_RUN.test(w)) return false
    }
    words += tokens.length
    length += part.length
  }
  return length / words >= 2.5
}

const PLACEHOLDER_WORD =
  /^(?:change[-_]?me|changeit|redacted|placeholder|example|dummy|sample|test(?:ing)?|todo|tbd|none|null|nil|undefined|empty|secret|password|passwd|pass|token|apikey|api[-_]key|key|value|foo|bar|baz)$/i
/** Placeholder markers; case-sensitive spellings so that random tokens practically never contain them. */
const PLACEHOLDER_FRAGMENT = new RegExp(
  [
    '[Ee]xample|EXAMPLE|[Pp]laceholder|PLACEHOLDER|[Rr]edacted|REDACTED|[Cc]hange[-_]?me|CHANGE[-_]?ME|[Dd]ummy|DUMMY',
    '(?:^|[^A-Za-z])(?:[Yy]our|YOUR|[Ii]nsert|INSERT)[-_ ]|[Rr]eplace[-_]?me|REPLACE[-_]?ME',
    'x{6,}|X{6,}|\\*{3,}|•{3,}|\\.{3,}|…|#{4,}|0{10,}',
  ].join('|'),
)

/** References to a secret held elsewhere, and obvious placeholders. */
export function isPlaceholderOrReference(value: string): boolean {
  const s = value.trim()
  if (s.length === 0) return true
  if (/\$\{|\$\(|\{\{|\}\}|\{%|%\}|<[^<>]*>|%\([^)]*\)/.test(s)) return true // templates
  if (/^\$[A-Za-z_]/.test(s) || /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(s)) return true // $VAR, %VAR%
  if (/^(?:env|secret|secrets|vault|op|ref|file|keychain|keyring|awssm|gcpsm|azkv|sops|arn|projects)[:/]/i.test(s)) return true
  return isPlaceholder(s)
}

/** Obvious placeholders only: for text that cannot be a reference, such as the body of a PEM block. */
function isPlaceholder(s: string): boolean {
  if (/^(.)\1*$/su.test(s)) return true // xxxxxxxx, ********
  if (PLACEHOLDER_WORD.test(s)) return true
  return PLACEHOLDER_FRAGMENT.test(s)
}

const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const SEMVER_RE = /^v?\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.+-]+)?$/
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const ISO_DURATION_RE = /^-?P(?:\d+(?:\.\d+)?[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?$/
const PATH_RE = /^(?:\/|\.{1,2}\/|~[/\\]|[A-Za-z]:[\\/]|\\\\)/

function isStructuredNonSecret(s: string): boolean {
  return (
    URL_RE.test(s) ||
    EMAIL_RE.test(s) ||
    UUID_RE.test(s) ||
    SEMVER_RE.test(s) ||
    ISO_DATE_RE.test(s) ||
    ISO_DURATION_RE.test(s) ||
    PATH_RE.test(s)
  )
}

/** Random-looking: several character classes, not an identifier, not a placeholder. */
function looksRandom(s: string, minClasses = 2): boolean {
  return charClasses(s, false) >= minClasses && !isIdentifierLike(s) && !isPlaceholderOrReference(s)
}

type KeyMode = 'secret' | 'password'

/** Minimum length and entropy for a value under a secret-named key to count as a secret. */
const ENTROPY_RULES: Readonly<Record<KeyMode, {minLength: number; minBits: number}>> = {
  secret: {minLength: 16, minBits: 3.5},
  password: {minLength: 8, minBits: 2.5},
}

function isHighEntropySecret(value: string, mode: KeyMode): boolean {
  const rule = ENTROPY_RULES[mode]
  if (value.length < rule.minLength || value.length > 4096) return false
  if (/\s/.test(value)) return false
  if (isPlaceholderOrReference(value) || isStructuredNonSecret(value)) return false
  if (shannonEntropy(value) < rule.minBits) return false
  if (mode === 'password') {
    if (charClasses(value, true) < 2) return false
    if (/[^A-Za-z0-9\-_.:/@+]/.test(value)) return true // symbols beyond separators
    if (!isIdentifierLike(value)) return true
    // literal passwords are often a word and a number ("Summer2024"); ids such as
    // "claude-sonnet-4-5" or "vaultManaged" are not
    return /^[A-Za-z]+[0-9]+$/.test(value)
  }
  return charClasses(value, false) >= 2 && !isIdentifierLike(value)
}

// ---------------------------------------------------------------------------------------------
// Key names
// ---------------------------------------------------------------------------------------------

interface KeyInfo {
  mode: KeyMode
  aws: boolean
  azure: boolean
}

const SECRET_WORDS = wordSet(`
  token tokens secret secrets key keys apikey apikeys accesskey secretkey privatekey signingkey
  masterkey clientsecret authtoken accesstoken refreshtoken apitoken bearertoken credential
  credentials creds cred auth authorization bearer pat sas
`)
const PASSWORD_WORDS = wordSet('password passwords passwd pwd passphrase')
/** Lower-case compounds ending like these are secret-named too ("githubtoken"); not "key" (monkey). */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'passwd']
/** Words that only describe the encoding of the value: look at the word before them. */
const NEUTRAL_WORDS = wordSet('value val data b64 base64 pem raw str string text plain plaintext enc encoded hex literal content contents')
/** Qualifiers that make "key"/"token(s)" mean something other than a credential. */
const NON_SECRET_QUALIFIERS = wordSet(`
  public pub sort primary partition cache foreign idempotency lookup routing row dedup dedupe
  object i18n translation label map group unique composite hot short host max min num total input
  output context completion prompt budget limit count used reasoning next page pagination cursor
  continuation csrf design
`)
/** Leading words of flag and option names: `disableSessionAuth`, `useToken`, `isApiKey`. */
const FLAG_PREFIXES = wordSet(`
  is has use uses enable enabled disable disabled allow allowed require required skip should can
  no with without supports validate verify
`)

function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

/** Classifies a key name; undefined when values under it are not presumed secret. */
const NOT_SECRET = 0
const KEY_MEMO = new Map<string, KeyInfo | typeof NOT_SECRET>()

export function classifySecretKey(key: string): KeyInfo | undefined {
  if (key.length === 0 || key.length > 128) return undefined
  const known = KEY_MEMO.get(key)
  if (known !== undefined) return known === NOT_SECRET ? undefined : known
  if (KEY_MEMO.size >= MEMO_MAX_ENTRIES) KEY_MEMO.clear()
  const info = classifyKey(key)
  KEY_MEMO.set(key, info ?? NOT_SECRET)
  return info
}

function classifyKey(key: string): KeyInfo | undefined {
  const words = splitWords(key)
  while (words.length > 1 && NEUTRAL_WORDS.has(words[words.length - 1])) words.pop()
  if (words.length === 0) return undefined
  const last = words[words.length - 1].replace(/\d+$/, '')
  const previous = words.length > 1 ? words[words.length - 2] : undefined
  const aws = words.includes('aws') || (words.includes('secret') && words.includes('access'))
  const azure = words.includes('azure') || words.includes('storage') || words.includes('account')
  if (PASSWORD_WORDS.has(last)) return {mode: 'password', aws, azure}
  const secretNamed = SECRET_WORDS.has(last) || (words.length === 1 && SECRET_SUFFIXES.some((s) => last.endsWith(s)))
  if (!secretNamed) return undefined
  if (previous !== undefined && NON_SECRET_QUALIFIERS.has(previous)) return undefined
  const lastSegment = splitWords(key.slice(key.lastIndexOf('.') + 1))
  if (lastSegment.length > 1 && FLAG_PREFIXES.has(lastSegment[0])) return undefined
  return {mode: 'secret', aws, azure}
}

const AWS_SECRET_VALUE_RE = /^[A-Za-z0-9/+]{40}$/
const AZURE_KEY_VALUE_RE = /^[A-Za-z0-9+/]{86}==$/

function isAwsSecretValue(v: string): boolean {
  // mixed case rules out hex SHAs; no digit requirement (0.1% of real keys have none)
  return AWS_SECRET_VALUE_RE.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && looksRandom(v) && shannonEntropy(v) >= 3.5
}

function stripAuthScheme(v: string): string {
  const m = /^(?:Bearer|Basic|Token|Bot)\s+(\S+)$/i.exec(v)
  return m ? m[1] : v
}

/** Kind of a value stored under a key, judged by the key name and the value's shape. */
function assessKeyedValue(key: KeyInfo | undefined, raw: string, awsContext: boolean): SecretKind | undefined {
  if (key === undefined && !awsContext) return undefined
  const value = stripAuthScheme(raw.trim())
  if ((awsContext || key?.aws) && isAwsSecretValue(value)) return 'aws-secret-access-key'
  if (key === undefined) return undefined
  if (key.azure && AZURE_KEY_VALUE_RE.test(value) && !isPlaceholderOrReference(value)) return 'azure-storage-key'
  return isHighEntropySecret(value, key.mode) ? 'high-entropy-value' : undefined
}

// ---------------------------------------------------------------------------------------------
// Detector table
// ---------------------------------------------------------------------------------------------

interface TextScan {
  readonly text: string
  /** Lazily computed: the text contains a (non-placeholder) AWS access key id. */
  hasAwsKeyId(): boolean
}

interface Detector {
  kind: SecretKind
  /**
   * Where the secret is. When the pattern has a named group `secret`, that group is the secret
   * (and the rest is context, such as a key name); otherwise the whole match is.
   */
  pattern: RegExp
  /** The format's public prefix: its length, or a pattern matching it at the secret's start. */
  prefix: number | RegExp
  /**
   * Generic detectors yield to specific ones when their matches overlap (a GitHub token used
   * as the password of a URL is reported as a GitHub token).
   */
  generic?: boolean
  /** Confirms a candidate; may return a different kind. */
  validate?: (secret: string, match: RegExpMatchArray, scan: TextScan) => boolean | SecretKind
  /** A cheap test that every match passes (a literal the pattern requires): other texts skip the pattern. */
  needs: (text: string) => boolean
}

const has =
  (...literals: string[]) =>
  (text: string): boolean =>
    literals.some((l) => text.includes(l))

const B = '(?<![A-Za-z0-9_-])' // token start boundary
const E = '(?![A-Za-z0-9_-])' // token end boundary

function notPlaceholderAfter(prefix: RegExp): (secret: string) => boolean {
  return (secret) => !isPlaceholderOrReference(secret.replace(prefix, ''))
}

const AWS_KEY_ID_SOURCE = '(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])'

function re(source: string, flags = ''): RegExp {
  return new RegExp(source, `${flags}gd`)
}

const DETECTORS: readonly Detector[] = [
  {
    kind: 'private-key',
    pattern: re(
      '-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:(?!-----)[\\s\\S]){0,16384}(?:-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)?',
    ),
    prefix: /^-----BEGIN/,
    // a real key has a body; a bare header (documentation, scanner rules) does not
    validate: (secret) => {
      const body = secret.replace(/^-----BEGIN[^\n]*?-----/, '').replace(/-----END[\s\S]*$/, '')
      const run = /[A-Za-z0-9+/=]{32,}/.exec(body.replace(/\\n/g, '\n'))
      // base64 may start like a reference ("op/…"): only placeholders rule a body out
      return run !== null && !isPlaceholder(run[0])
    },
    needs: has('-----BEGIN'),
  },
  {
    kind: 'github-token',
    pattern: re(`${B}gh[pousr]_[A-Za-z0-9]{36,251}${E}`),
    prefix: 4,
    validate: notPlaceholderAfter(/^gh._/),
    needs: has('gh'),
  },
  {
    kind: 'github-token',
    pattern: re(`${B}github_pat_[A-Za-z0-9]{22,}_[A-Za-z0-9]{59,}${E}`),
    prefix: 11,
    validate: notPlaceholderAfter(/^github_pat_/),
    needs: has('github_pat_'),
  },
  {
    kind: 'gitlab-token',
    pattern: re(
      `${B}(?:glpat|gloas|gldt|glrt|glrtr|glcbt|glptt|glft|glimt|glagent|glsoat|glffct|glwt)-[A-Za-z0-9_-]{20,255}(?:\\.[A-Za-z0-9]{2}\\.[A-Za-z0-9]{7,9})?${E}`,
    ),
    prefix: /^gl[a-z]+-/,
    validate: (secret) => looksRandom(secret.replace(/^gl[a-z]+-/, '')),
    needs: has('gl'),
  },
  {
    kind: 'slack-token',
    pattern: re(`${B}(?:xox[abposr]|xoxe(?:\\.xox[bp])?|xapp)-[A-Za-z0-9-]{10,250}${E}`),
    prefix: /^x[a-z]+(?:\.x[a-z]+)?-/,
    // real tokens carry numeric team/user/app ids
    validate: (secret) => /\d{6,}|-\d-[A-Z0-9]{8,}/.test(secret) && notPlaceholderAfter(/^x[a-z.]+-/)(secret),
    needs: has('xox', 'xapp'),
  },
  {
    kind: 'slack-webhook',
    pattern: re(
      'https://hooks\\.slack\\.com/(?:services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}|(?:workflows|triggers)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/\\d+/[A-Za-z0-9]{20,})',
    ),
    prefix: 8,
    validate: (secret) => !isPlaceholderOrReference(secret.slice(secret.lastIndexOf('/') + 1)),
    needs: has('hooks.slack.com/'),
  },
  {
    kind: 'aws-access-key-id',
    pattern: re(AWS_KEY_ID_SOURCE),
    prefix: 4,
    validate: (secret) => !isPlaceholderOrReference(secret.slice(4)),
    needs: has('AKIA', 'ASIA', 'ABIA', 'ACCA'),
  },
  {
    kind: 'gcp-api-key',
    pattern: re(`${B}AIza[A-Za-z0-9_-]{35}${E}`),
    prefix: 4,
    validate: (secret) => looksRandom(secret.slice(4)),
    needs: has('AIza'),
  },
  {
    kind: 'azure-connection-string',
    pattern: re(
      '(?<![A-Za-z])(?:DefaultEndpointsProtocol|AccountName|(?:Blob|Queue|Table|File)?Endpoint)=[^;\\s"\'<>]+(?:;[A-Za-z]+=[^;\\s"\'<>]*){0,12}?;(?<key>AccountKey|SharedAccessKey|SharedAccessSignature)=(?<value>[^;\\s"\'<>]{16,})(?:;[A-Za-z]+=[^;\\s"\'<>]*){0,12}',
    ),
    prefix: /^[A-Za-z]+=/,
    validate: (_secret, m) => !isPlaceholderOrReference(m.groups?.value ?? ''),
    needs: (text) => text.includes('=') && text.includes(';'),
  },
  {
    kind: 'azure-storage-key',
    pattern: re('(?<![A-Za-z])AccountKey=[A-Za-z0-9+/]{86}=='),
    prefix: 11,
    validate: (secret) => !isPlaceholderOrReference(secret.slice(11)),
    needs: has('AccountKey='),
  },
  {
    kind: 'anthropic-api-key',
    pattern: re(`${B}sk-ant-(?:api|admin|oat|ort|sid)\\d{2}-[A-Za-z0-9_-]{32,250}${E}`),
    prefix: /^sk-ant-[a-z]+\d{2}-/,
    validate: notPlaceholderAfter(/^sk-ant-[a-z]+\d{2}-/),
    needs: has('sk-ant-'),
  },
  {
    kind: 'openai-api-key',
    pattern: re(`${B}sk-(?!ant-)(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{20,300}${E}`),
    prefix: /^sk-(?:(?:proj|svcacct|admin|None)-)?/,
    validate: (secret) => {
      const body = secret.replace(/^sk-(?:(?:proj|svcacct|admin|None)-)?/, '')
      if (isPlaceholderOrReference(body)) return false
      return body.includes('T3BlbkFJ') || (body.length >= 40 && looksRandom(body, 3))
    },
    needs: has('sk-'),
  },
  {
    kind: 'npm-token',
    pattern: re(`${B}npm_[A-Za-z0-9]{36}${E}`),
    prefix: 4,
    validate: (secret) => looksRandom(secret.slice(4)),
    needs: has('npm_'),
  },
  {
    kind: 'pypi-token',
    pattern: re(`${B}pypi-AgE[A-Za-z0-9_-]{50,}${E}`),
    prefix: 5,
    validate: notPlaceholderAfter(/^pypi-/),
    needs: has('pypi-AgE'),
  },
  {
    kind: 'stripe-key',
    pattern: re(`${B}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,247}${E}`),
    prefix: /^[a-z]+_[a-z]+_/,
    validate: (secret) => looksRandom(secret.replace(/^[a-z]+_[a-z]+_/, '')),
    needs: has('_live_', '_test_'),
  },
  {
    kind: 'jwt',
    pattern: re('(?<![A-Za-z0-9_.-])e[wy][A-Za-z0-9_-]{8,4096}\\.[A-Za-z0-9_-]{8,16384}\\.[A-Za-z0-9_-]{0,4096}(?![A-Za-z0-9_.-])'),
    prefix: 3,
    validate: (secret) => isJwtHeader(secret.slice(0, secret.indexOf('.'))),
    needs: (text) => text.includes('.') && (text.includes('ey') || text.includes('ew')),
  },
  {
    kind: 'credentials-in-url',
    pattern: re(
      '(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}://(?<user>[^\\s/?#@:"\'<>]{1,128}):(?<password>[^\\s/?#@"\'<>]{1,256})@[A-Za-z0-9.[\\]-]+',
    ),
    prefix: /^[A-Za-z][A-Za-z0-9+.-]*:\/\//,
    generic: true,
    validate: (secret, m) => {
      const password = m.groups?.password ?? ''
      if (DOCUMENTATION_HOST.test(secret.slice(secret.lastIndexOf('@') + 1))) return false
      return !isPlaceholderOrReference(password) && !isPlaceholderOrReference(decodeSafe(password))
    },
    needs: (text) => text.includes('://') && text.includes('@'),
  },
  {
    // a 40-character AWS secret next to an access key id in the same text
    kind: 'aws-secret-access-key',
    pattern: re('(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])'),
    prefix: 0,
    generic: true,
    validate: (secret, _m, scan) => scan.hasAwsKeyId() && isAwsSecretValue(secret),
    needs: (text) => text.length >= 40,
  },
  {
    // NAME=value, name: value, "name": "value" with a secret-sounding name
    kind: 'high-entropy-value',
    pattern: re(
      '(?<![A-Za-z0-9_])(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,63})["\']?[ \\t]*[:=][ \\t]*["\']?(?:(?:Bearer|Basic|Token)[ \\t]+)?(?<secret>[^\\s"\'`,;(){}\\[\\]<>]{8,512})(?![^\\s"\'`,;){}\\[\\]<>])',
    ),
    prefix: 0,
    generic: true,
    validate: (secret, m) => {
      const key = m.groups?.key ?? ''
      if (secret.includes(key)) return false // `fooToken = x.fooToken`: code, not a value
      return assessKeyedValue(classifySecretKey(key), secret, false) ?? false
    },
    needs: has(':', '='),
  },
]

/** Hosts reserved for documentation (RFC 2606, RFC 6761): URLs to them are examples. */
const DOCUMENTATION_HOST = /^(?:[^/:]*\.)?(?:example\.(?:com|net|org)|example|test|invalid)(?::\d+)?$/i

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function isJwtHeader(segment: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof header === 'object' && header !== null && !Array.isArray(header) && 'alg' in header
  } catch {
    return false
  }
}

function previewOf(secret: string, prefix: number | RegExp): string {
  const length = typeof prefix === 'number' ? prefix : (prefix.exec(secret)?.[0].length ?? 0)
  return secret.slice(0, Math.min(length, PREVIEW_MAX_PREFIX)) + ELLIPSIS
}

// ---------------------------------------------------------------------------------------------
// Text scanning
// ---------------------------------------------------------------------------------------------

interface Candidate extends TextSecretHit {
  end: number
  generic: boolean
  order: number
}

const GCP_SERVICE_ACCOUNT_TEXT = /"type"\s*:\s*"service_account"/
const GCP_PRIVATE_KEY_FIELD = /"private_key"\s*:\s*"$/

/** Finds secrets in raw text; hits are ordered by offset and never overlap. */
/**
 * Results for short strings, which repeat across manifests (enum values, scopes, names): the scan
 * is pure, so a string is scanned once per process. Bounded, and copied out so callers may mutate.
 */
const TEXT_MEMO = new Map<string, readonly TextSecretHit[]>()
const MEMO_MAX_LENGTH = 256
const MEMO_MAX_ENTRIES = 50_000

export function findSecretsInText(text: string): TextSecretHit[] {
  if (typeof text !== 'string' || text.length === 0) return []
  return memoScan(text).map((h) => ({...h}))
}

const NO_HITS: readonly TextSecretHit[] = Object.freeze([])

/** The memoized scan, shared: callers copy what they keep or change. */
function memoScan(text: string): readonly TextSecretHit[] {
  if (text.length > MEMO_MAX_LENGTH) return scanText(text)
  let hits: readonly TextSecretHit[] | undefined = TEXT_MEMO.get(text)
  if (hits === undefined) {
    const found = scanText(text)
    hits = found.length === 0 ? NO_HITS : found
    if (TEXT_MEMO.size >= MEMO_MAX_ENTRIES) TEXT_MEMO.clear()
    TEXT_MEMO.set(text, hits)
  }
  return hits
}

function scanText(text: string): TextSecretHit[] {
  let awsKeyId: boolean | undefined
  const scan: TextScan = {
    text,
    hasAwsKeyId: () => (awsKeyId ??= [...text.matchAll(re(AWS_KEY_ID_SOURCE))].some((m) => !isPlaceholderOrReference(m[0].slice(4)))),
  }

  const candidates: Candidate[] = []
  DETECTORS.forEach((detector, order) => {
    if (!detector.needs(text)) return
    for (const m of text.matchAll(detector.pattern)) {
      const span = m.indices?.groups?.secret ?? m.indices?.[0]
      if (span === undefined) continue
      const [start, end] = span
      const secret = text.slice(start, end)
      const verdict = detector.validate ? detector.validate(secret, m, scan) : true
      if (verdict === false) continue
      const kind = verdict === true ? detector.kind : verdict
      candidates.push({
        kind,
        label: SECRET_LABELS[kind],
        preview: previewOf(secret, detector.prefix),
        index: start,
        end,
        generic: detector.generic === true,
        order,
      })
    }
  })
  if (candidates.length === 0) return []

  // specific detectors first, then generic ones where they do not overlap
  candidates.sort((a, b) => Number(a.generic) - Number(b.generic) || a.index - b.index || a.order - b.order)
  const accepted: Candidate[] = []
  for (const c of candidates) {
    if (!accepted.some((a) => c.index < a.end && a.index < c.end)) accepted.push(c)
  }
  accepted.sort((a, b) => a.index - b.index)

  const serviceAccount = GCP_SERVICE_ACCOUNT_TEXT.test(text)
  return accepted.map(({kind, label, preview, index}) => {
    if (serviceAccount && kind === 'private-key' && GCP_PRIVATE_KEY_FIELD.test(text.slice(Math.max(0, index - 40), index))) {
      return {kind: 'gcp-service-account-key', label: SECRET_LABELS['gcp-service-account-key'], preview, index}
    }
    return {kind, label, preview, index}
  })
}

// ---------------------------------------------------------------------------------------------
// Walking parsed values
// ---------------------------------------------------------------------------------------------

interface Frame {
  value: unknown
  parent: Frame | undefined
  /** Path segment from the parent (undefined for the root). */
  segment: string | number | undefined
  /** The key this value is judged under (inherited through arrays and neutral keys). */
  keyName: string | undefined
  /** Object key to scan before the value, for object entries. */
  ownKey: string | undefined
  /** A sibling holds an AWS access key id. */
  awsSibling: boolean
  /** The value is the `private_key` of a GCP service-account object. */
  serviceAccountKey: boolean
}

const NEUTRAL_KEYS = wordSet('value val data default current content raw plain')
const NEUTRAL_KEY_MAX = Math.max(...[...NEUTRAL_KEYS].map((k) => k.length))
const NAME_FIELDS = ['name', 'key', 'id', 'variable', 'env']
const AWS_KEY_ID_FULL = new RegExp(`^${AWS_KEY_ID_SOURCE}$`)

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = []
  for (let f: Frame | undefined = frame; f?.segment !== undefined; f = f.parent) path.push(f.segment)
  return path.reverse()
}

/** The keys and values of a parsed mapping or list; undefined for anything else. */
function entriesOf(value: object): {keys: string[] | undefined; values: unknown[]} | undefined {
  if (Array.isArray(value)) return {keys: undefined, values: value}
  if (value instanceof Map) return {keys: [...value.keys()].map(String), values: [...value.values()]}
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
    return {keys, values: keys.map((k) => value[k])}
  }
  return undefined // Date, Buffer, class instances: not parsed config
}

/**
 * Walks a parsed JSON/YAML value and reports strings (values and keys) that look like
 * secrets. Iterative (deep inputs cannot overflow the stack); an object reached twice (YAML
 * aliases, cycles) is scanned once, at its first position. Hits are in traversal order.
 */
export function findSecrets(value: unknown, options: FindSecretsOptions = {}): SecretHit[] {
  const maxHits = options.maxHits ?? DEFAULT_MAX_HITS
  const hits: SecretHit[] = []
  if (maxHits <= 0) return hits
  const seen = new WeakSet<object>()
  const stack: Frame[] = [
    {value, parent: undefined, segment: undefined, keyName: undefined, ownKey: undefined, awsSibling: false, serviceAccountKey: false},
  ]

  const add = (frame: Frame, kind: SecretKind, preview: string, inKey: boolean): boolean => {
    const hit: SecretHit = {path: pathOf(frame), kind, label: SECRET_LABELS[kind], preview}
    if (inKey) hit.inKey = true
    hits.push(hit)
    return hits.length >= maxHits
  }

  while (stack.length > 0) {
    const frame = stack.pop() as Frame

    if (frame.ownKey !== undefined) {
      const keyHits = scanString(frame.ownKey, frame.parent?.keyName, false, false)
      // the key itself is secret: paths show its preview instead
      if (keyHits.length > 0) frame.segment = keyHits[0].preview
      for (const h of keyHits) {
        if (add(frame, h.kind, h.preview, true)) return hits
      }
    }

    const v = frame.value
    if (typeof v === 'string') {
      for (const h of scanString(v, frame.keyName, frame.awsSibling, frame.serviceAccountKey)) {
        if (add(frame, h.kind, h.preview, false)) return hits
      }
      continue
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) continue
    seen.add(v)
    const entries = entriesOf(v)
    if (entries === undefined) continue

    const {keys, values} = entries
    // a sibling by key, the last one of a key as a Map would keep it
    const sibling = (name: string): unknown => {
      const i = keys === undefined ? -1 : keys.lastIndexOf(name)
      return i < 0 ? undefined : values[i]
    }
    let awsSibling = false
    if (keys !== undefined) {
      for (const s of values) {
        if (typeof s === 'string' && s.length >= 20 && AWS_KEY_ID_FULL.test(s.trim())) awsSibling = true
      }
    }
    const serviceAccount = keys !== undefined && sibling('type') === 'service_account'
    let nameField: string | undefined
    for (const field of keys === undefined ? [] : NAME_FIELDS) {
      const named = sibling(field)
      if (typeof named === 'string') {
        nameField = named
        break
      }
    }

    for (let i = values.length - 1; i >= 0; i--) {
      const key = keys?.[i]
      let keyName = frame.keyName
      if (key !== undefined) {
        if (key.length > NEUTRAL_KEY_MAX || !NEUTRAL_KEYS.has(key.toLowerCase())) keyName = key
        else if (nameField !== undefined) keyName = nameField // { name: GITHUB_TOKEN, value: … }
      }
      stack.push({
        value: values[i],
        parent: frame,
        segment: key ?? i,
        keyName,
        ownKey: key,
        awsSibling,
        serviceAccountKey: serviceAccount && key === 'private_key',
      })
    }
  }
  return hits
}

/** Secrets in one string of a parsed value, judged with its key as context. */
function scanString(
  s: string,
  keyName: string | undefined,
  awsSibling: boolean,
  serviceAccountKey: boolean,
): readonly {kind: SecretKind; preview: string}[] {
  const found = s.length === 0 ? NO_HITS : memoScan(s)
  if (serviceAccountKey) {
    const asKey = found.map(({kind, preview}) => ({kind: kind === 'private-key' ? ('gcp-service-account-key' as const) : kind, preview}))
    if (asKey.length === 0 && s.trim().length >= 32 && !isPlaceholderOrReference(s)) {
      asKey.push({kind: 'gcp-service-account-key', preview: ELLIPSIS})
    }
    if (asKey.length > 0) return asKey
  } else if (found.length > 0) return found
  const kind = assessKeyedValue(keyName === undefined ? undefined : classifySecretKey(keyName), s, awsSibling)
  return kind === undefined ? NO_HITS : [{kind, preview: ELLIPSIS}]
}
