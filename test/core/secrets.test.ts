import {existsSync, readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {findSecrets, findSecretsInText, PREVIEW_MAX_PREFIX, type SecretHit, type SecretKind} from '../../src/core/secrets.js'
import {BASE62, BASE64, BASE64URL, DIGITS, pick, prng, UPPER, type Rng} from '../helpers/fake-secrets.js'

// Fake secrets are generated here from a seeded PRNG (never written out literally), so this file
// holds nothing a secret scanner would flag.

const HEX = '0123456789abcdef'

const b64url = (s: string) => Buffer.from(s).toString('base64url')

/** A PEM block whose body is random base64. */
function pem(rng: Rng, label: string): {value: string; random: string} {
  const random = pick(rng, BASE64, 256)
  const lines = random.match(/.{1,64}/g)!.join('\n')
  return {value: `-----BEGIN ${label}-----\n${lines}\n-----END ${label}-----\n`, random}
}

interface Case {
  name: string
  kind: SecretKind
  /** Only detectable in a parsed value (needs structure that raw text does not show). */
  structural?: boolean
  /** Builds an input value; `random` lists the random parts that must never leak into a preview. */
  build: (rng: Rng) => {input: unknown; random: string[]}
}

/** A token under a key that says nothing about secrets: detection is by format alone. */
const plain = (value: string, random: string) => ({input: {note: value}, random: [random]})

const CASES: Case[] = [
  {
    name: 'GitHub classic token',
    kind: 'github-token',
    build: (r) => {
      const random = pick(r, BASE62, 36)
      return plain('ghp' + '_' + random, random)
    },
  },
  {
    name: 'GitHub app installation token',
    kind: 'github-token',
    build: (r) => {
      const random = pick(r, BASE62, 36)
      return plain('ghs' + '_' + random, random)
    },
  },
  {
    name: 'GitHub fine-grained token',
    kind: 'github-token',
    build: (r) => {
      const random = pick(r, BASE62, 22) + '_' + pick(r, BASE62, 59)
      return plain('github' + '_pat_' + random, random)
    },
  },
  {
    name: 'GitLab personal access token',
    kind: 'gitlab-token',
    build: (r) => {
      const random = pick(r, BASE62, 32)
      return plain('glpat' + '-' + random, random)
    },
  },
  {
    name: 'GitLab runner token',
    kind: 'gitlab-token',
    build: (r) => {
      const random = pick(r, BASE62, 32)
      return plain('glrt' + '-' + random, random)
    },
  },
  {
    name: 'Slack bot token',
    kind: 'slack-token',
    build: (r) => {
      const random = pick(r, DIGITS, 12) + '-' + pick(r, DIGITS, 13) + '-' + pick(r, BASE62, 24)
      return plain('xoxb' + '-' + random, random)
    },
  },
  {
    name: 'Slack webhook',
    kind: 'slack-webhook',
    build: (r) => {
      const random = pick(r, BASE62, 24)
      const url = 'https://hooks.slack.com/services/T' + pick(r, UPPER + DIGITS, 8) + '/B' + pick(r, UPPER + DIGITS, 10) + '/' + random
      return plain(url, random)
    },
  },
  {
    name: 'AWS access key id',
    kind: 'aws-access-key-id',
    build: (r) => {
      const random = pick(r, UPPER + DIGITS, 16)
      return plain('AKIA' + random, random)
    },
  },
  {
    name: 'AWS secret access key (by key name)',
    kind: 'aws-secret-access-key',
    build: (r) => {
      const random = pick(r, BASE64, 40)
      return {input: {aws_secret_access_key: random}, random: [random]}
    },
  },
  {
    name: 'AWS secret access key (next to an access key id)',
    kind: 'aws-secret-access-key',
    build: (r) => {
      const random = pick(r, BASE64, 40)
      return {input: {id: 'ASIA' + pick(r, UPPER + DIGITS, 16), s: random}, random: [random]}
    },
  },
  {
    name: 'GCP service-account key',
    kind: 'gcp-service-account-key',
    build: (r) => {
      const key = pem(r, 'PRIVATE KEY')
      return {
        input: {
          type: 'service_account',
          project_id: 'payments-prod',
          private_key_id: pick(r, HEX, 40),
          private_key: key.value,
          client_email: 'refactor-bot@payments-prod.iam.gserviceaccount.com',
        },
        random: [key.random],
      }
    },
  },
  {
    name: 'Google API key',
    kind: 'gcp-api-key',
    build: (r) => {
      const random = pick(r, BASE64URL, 35)
      return plain('AIza' + random, random)
    },
  },
  {
    name: 'Azure storage account key (AccountKey=)',
    kind: 'azure-storage-key',
    build: (r) => {
      const random = pick(r, BASE64, 86)
      return plain('AccountKey=' + random + '==', random)
    },
  },
  {
    name: 'Azure storage account key (by key name)',
    kind: 'azure-storage-key',
    build: (r) => {
      const random = pick(r, BASE64, 86)
      return {input: {storageAccountKey: random + '=='}, random: [random]}
    },
  },
  {
    name: 'Azure storage connection string',
    kind: 'azure-connection-string',
    build: (r) => {
      const random = pick(r, BASE64, 86)
      return plain(`DefaultEndpointsProtocol=https;AccountName=paymentsprod;AccountKey=${random}==;EndpointSuffix=core.windows.net`, random)
    },
  },
  {
    name: 'Azure SAS connection string',
    kind: 'azure-connection-string',
    build: (r) => {
      const random = pick(r, BASE62, 43)
      const sas = `sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=${random}%3D`
      return plain(`BlobEndpoint=https://paymentsprod.blob.core.windows.net/;SharedAccessSignature=${sas}`, random)
    },
  },
  {
    name: 'OpenAI project key',
    kind: 'openai-api-key',
    build: (r) => {
      const a = pick(r, BASE64URL, 74)
      const b = pick(r, BASE64URL, 74)
      return {input: {note: 'sk-' + 'proj-' + a + 'T3Blbk' + 'FJ' + b}, random: [a, b]}
    },
  },
  {
    name: 'OpenAI legacy key',
    kind: 'openai-api-key',
    build: (r) => {
      const a = pick(r, BASE62, 20)
      const b = pick(r, BASE62, 20)
      return {input: {note: 'sk-' + a + 'T3Blbk' + 'FJ' + b}, random: [a, b]}
    },
  },
  {
    name: 'Anthropic API key',
    kind: 'anthropic-api-key',
    build: (r) => {
      const random = pick(r, BASE64URL, 93) + 'AA'
      return plain('sk-' + 'ant-api03-' + random, random)
    },
  },
  {
    name: 'Anthropic admin key',
    kind: 'anthropic-api-key',
    build: (r) => {
      const random = pick(r, BASE64URL, 93) + 'AA'
      return plain('sk-' + 'ant-admin01-' + random, random)
    },
  },
  {
    name: 'npm token',
    kind: 'npm-token',
    build: (r) => {
      const random = pick(r, BASE62, 36)
      return plain('npm' + '_' + random, random)
    },
  },
  {
    name: 'PyPI token',
    kind: 'pypi-token',
    build: (r) => {
      const random = pick(r, BASE64URL, 120)
      return plain('pypi-' + 'AgEIcHlwaS5vcmc' + random, random)
    },
  },
  {
    name: 'Stripe secret key',
    kind: 'stripe-key',
    build: (r) => {
      const random = pick(r, BASE62, 99)
      return plain('sk' + '_live_' + random, random)
    },
  },
  ...['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'].map(
    (label): Case => ({
      name: `private key (${label})`,
      kind: 'private-key',
      build: (r) => {
        const key = pem(r, label)
        return {input: {deployKey: key.value}, random: [key.random]}
      },
    }),
  ),
  {
    name: 'JWT',
    kind: 'jwt',
    build: (r) => {
      const signature = pick(r, BASE64URL, 43)
      const payload = b64url(JSON.stringify({sub: 'refactor-bot', iat: 1767225600, jti: pick(r, HEX, 16)}))
      return plain(b64url('{"alg":"HS256","typ":"JWT"}') + '.' + payload + '.' + signature, signature)
    },
  },
  {
    name: 'credentials in an https URL',
    kind: 'credentials-in-url',
    build: (r) => {
      const random = pick(r, BASE62, 24)
      return plain(`https://deploy:${random}@git.internal.corp/payments/monorepo.git`, random)
    },
  },
  {
    name: 'credentials in a database URL',
    kind: 'credentials-in-url',
    build: (r) => {
      const random = pick(r, BASE62, 24)
      return plain(`postgresql://app:${random}@db.internal.corp:5432/payments`, random)
    },
  },
  {
    name: 'high-entropy client secret',
    kind: 'high-entropy-value',
    build: (r) => {
      const random = pick(r, BASE62, 40)
      return {input: {oauth: {clientSecret: random}}, random: [random]}
    },
  },
  {
    name: 'high-entropy value under a "token" key (hex)',
    kind: 'high-entropy-value',
    build: (r) => {
      const random = pick(r, HEX, 64)
      return {input: {webhook: {token: random}}, random: [random]}
    },
  },
  {
    name: 'literal password',
    kind: 'high-entropy-value',
    build: (r) => {
      const random = pick(r, BASE62, 10) + '!'
      return {input: {database: {password: random}}, random: [random]}
    },
  },
  {
    name: 'secret in an env list entry (name/value pair)',
    kind: 'high-entropy-value',
    structural: true,
    build: (r) => {
      const random = pick(r, BASE62, 32)
      return {input: {env: [{name: 'DEPLOY_API_KEY', value: random}]}, random: [random]}
    },
  },
]

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v: unknown = root
  for (const seg of path) v = (v as Record<string | number, unknown>)[seg]
  return v
}

/** The preview contract: a short prefix of `value` plus "…", sharing no 5+ chars with the random parts. */
function expectSafePreview(preview: string, value: string, random: string[]): void {
  expect(preview.endsWith('…')).toBe(true)
  const prefix = preview.slice(0, -1)
  expect(prefix.length).toBeLessThanOrEqual(PREVIEW_MAX_PREFIX)
  expect(value.startsWith(prefix)).toBe(true)
  for (const part of random) {
    for (let i = 0; i + 5 <= part.length; i++) expect(preview).not.toContain(part.slice(i, i + 5))
  }
}

function checkCase(c: Case, seed: number): void {
  const {input, random} = c.build(prng(seed))
  const hits = findSecrets(input)
  expect(hits.map((h) => h.kind)).toContain(c.kind)
  for (const hit of hits) {
    const value = valueAt(input, hit.path)
    expect(typeof value).toBe('string')
    expectSafePreview(hit.preview, value as string, random)
  }
}

describe('findSecrets: one positive per kind', () => {
  it('finds a private key whose body starts like a secret reference ("op/", "ref/")', () => {
    // found by the preview property: a random base64 body began "Op/", read as a 1Password reference
    for (const start of ['Op/', 'ref/', 'vault/', 'file/']) {
      const body = (start + pick(prng(9318), BASE64, 252)).match(/.{1,64}/g)!.join('\n')
      const key = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n${body}\n-----END PGP PRIVATE KEY BLOCK-----\n`
      expect(
        findSecrets({deployKey: key}).map((h) => h.kind),
        start,
      ).toEqual(['private-key'])
    }
  })

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    checkCase(c, 20260101)
  })

  it('covers every kind', () => {
    const kinds = new Set(CASES.map((c) => c.kind))
    expect([...kinds].sort()).toEqual(
      [
        'anthropic-api-key',
        'aws-access-key-id',
        'aws-secret-access-key',
        'azure-connection-string',
        'azure-storage-key',
        'credentials-in-url',
        'gcp-api-key',
        'gcp-service-account-key',
        'github-token',
        'gitlab-token',
        'high-entropy-value',
        'jwt',
        'npm-token',
        'openai-api-key',
        'private-key',
        'pypi-token',
        'slack-token',
        'slack-webhook',
        'stripe-key',
      ].sort(),
    )
  })

  it('reports path, label and preview', () => {
    const r = prng(1)
    const token = 'ghp' + '_' + pick(r, BASE62, 36)
    expect(findSecrets({identity: {credentials: [{name: 'bot', token}]}})).toEqual([
      {path: ['identity', 'credentials', 0, 'token'], kind: 'github-token', label: 'GitHub token', preview: 'ghp_…'},
    ])
  })

  it('reports a GCP service account once, as such (not also as a bare private key)', () => {
    const {input} = CASES.find((c) => c.kind === 'gcp-service-account-key')!.build(prng(3))
    expect(findSecrets(input)).toEqual([
      {path: ['private_key'], kind: 'gcp-service-account-key', label: 'GCP service account key', preview: '-----BEG…'},
    ])
    const text = JSON.stringify(input, null, 2)
    expect(findSecretsInText(text).map((h) => h.kind)).toEqual(['gcp-service-account-key'])
  })

  it('finds secrets pasted as object keys, without putting them in the path', () => {
    const r = prng(2)
    const token = 'glpat' + '-' + pick(r, BASE62, 24)
    const inner = 'AIza' + pick(r, BASE64URL, 35)
    const hits = findSecrets({env: {[token]: {note: inner}}})
    expect(hits).toEqual([
      {path: ['env', 'glpat-…'], kind: 'gitlab-token', label: 'GitLab token', preview: 'glpat-…', inKey: true},
      {path: ['env', 'glpat-…', 'note'], kind: 'gcp-api-key', label: 'Google Cloud API key', preview: 'AIza…'},
    ])
    expect(JSON.stringify(hits)).not.toContain(token.slice(6, 14))
  })

  it('reports several secrets in one string, in order', () => {
    const r = prng(4)
    const id = 'AKIA' + pick(r, UPPER + DIGITS, 16)
    const secret = pick(r, BASE64, 40)
    const hits = findSecrets({script: `aws configure set aws_access_key_id ${id} && aws configure set aws_secret_access_key ${secret}`})
    expect(hits.map((h) => h.kind)).toEqual(['aws-access-key-id', 'aws-secret-access-key'])
    expect(hits.map((h) => h.preview)).toEqual(['AKIA…', '…'])
  })

  it('honours maxHits', () => {
    const r = prng(5)
    const tokens = Array.from({length: 10}, () => 'ghp' + '_' + pick(r, BASE62, 36))
    expect(findSecrets(tokens, {maxHits: 3})).toHaveLength(3)
    expect(findSecrets(tokens, {maxHits: 0})).toEqual([])
    expect(findSecrets(tokens)).toHaveLength(10)
  })

  it('ignores non-string scalars and exotic objects', () => {
    expect(findSecrets(null)).toEqual([])
    expect(findSecrets(undefined)).toEqual([])
    expect(findSecrets({token: 12345678901234567890, secret: true, password: null, apiKey: new Date(0)})).toEqual([])
  })
})

describe('findSecretsInText', () => {
  it('reports kinds, previews and offsets', () => {
    const r = prng(6)
    const gh = 'ghp' + '_' + pick(r, BASE62, 36)
    const ant = 'sk-' + 'ant-api03-' + pick(r, BASE64URL, 93) + 'AA'
    const pw = pick(r, BASE62, 24)
    const text = `# agent config\nexport GITHUB_TOKEN=${gh}\n{"env": {"ANTHROPIC_API_KEY": "${ant}"}}\nDB_PASSWORD='${pw}'\n`
    expect(findSecretsInText(text)).toEqual([
      {kind: 'github-token', label: 'GitHub token', preview: 'ghp_…', index: text.indexOf(gh)},
      {kind: 'anthropic-api-key', label: 'Anthropic API key', preview: 'sk-ant-a…', index: text.indexOf(ant)},
      {kind: 'high-entropy-value', label: 'High-entropy value under a secret-named key', preview: '…', index: text.indexOf(pw)},
    ])
  })

  it('prefers the specific kind when a token is used as a URL password', () => {
    const r = prng(7)
    const gh = 'ghs' + '_' + pick(r, BASE62, 36)
    const text = `git clone https://x-access-token:${gh}@github.com/acme/payments.git`
    expect(findSecretsInText(text)).toEqual([{kind: 'github-token', label: 'GitHub token', preview: 'ghs_…', index: text.indexOf(gh)}])
  })

  it('has safe previews for every kind, at the reported offset', () => {
    for (const c of CASES.filter((c) => !c.structural)) {
      const {input, random} = c.build(prng(8))
      const text = JSON.stringify(input, null, 2)
      const hits = findSecretsInText(text)
      expect(hits.length, c.name).toBeGreaterThan(0)
      for (const hit of hits) expectSafePreview(hit.preview, text.slice(hit.index), random)
    }
  })
})

// ------------------------------------------------------------------------------------------------
// Near misses
// ------------------------------------------------------------------------------------------------

const SECRETISH_KEYS = ['token', 'apiKey', 'api_key', 'password', 'secret', 'clientSecret', 'credentials', 'auth', 'privateKey', 'key']

const NEAR_MISSES: string[] = [
  // the manifest's own vocabulary
  'static-api-key',
  'personal-access-token',
  'short-lived-token',
  'github-installation-token',
  'model-api-key',
  'scoped-token',
  'CTL-JIT-SECRETS',
  'CTL-PROMPT-INJECTION-GUARD',
  'THR-SECRET-EXPOSURE',
  'vault-jit',
  'ci-secret-store',
  'cloud-secret-manager',
  'production-secrets',
  'refactor-bot',
  'platform-engineering',
  'claude-sonnet-4-5',
  'Drafts refactoring pull requests for the payments monorepo.',
  // URLs, scopes, dates, durations, e-mail
  'https://wiki.example.com/security/refactor-bot/vault',
  'https://api.example.com/v1/oauth/token?grant_type=client_credentials',
  'ssh://git@github.com/acme/payments.git',
  'git@github.com:acme/payments.git',
  'contents:write',
  'pull-requests:write',
  '2026-11-01',
  '2026-11-01T12:30:00Z',
  'PT1H',
  'P90D',
  'platform@example.com',
  // references and placeholders
  '${{ secrets.GITHUB_TOKEN }}',
  '${GITHUB_TOKEN}',
  '$ANTHROPIC_API_KEY',
  'env:FOO',
  'vault:secret/data/refactor-bot#token',
  'op://platform/refactor-bot/credential',
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:refactor-bot-Ab12Cd',
  '<your-token>',
  'xxxxxxxx',
  'changeme',
  'REDACTED',
  '****',
  '********************************',
  'your-api-key-here',
  'ghp' + '_' + 'X'.repeat(36),
  'glpat' + '-' + 'x'.repeat(20),
  'xoxb' + '-' + 'XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX',
  'sk-' + 'your-openai-key-goes-here-please',
  'AKIA' + 'IOSFODNN7' + 'EXAMPLE',
  'https://hooks.slack.com/services/T00000000/B00000000/' + 'X'.repeat(24),
  'postgres://app:${DB_PASSWORD}@db.internal:5432/payments',
  'https://user:****@git.internal.corp/repo.git',
  'https://user:<password>@git.internal.corp/repo.git',
  '-----BEGIN ' + 'RSA PRIVATE KEY-----',
  '-----BEGIN ' + 'PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
  'Bearer ${TOKEN}',
  // short strings, ids, versions, paths
  'abc',
  'hunter',
  '123e4567-e89b-12d3-a456-426614174000',
  '1.4.2',
  'v2.13.0-rc.1',
  '/home/runner/work/payments/.env',
  './src/core/secrets.ts',
  '~/.aws/credentials',
  'C:\\Users\\bot\\.aws\\credentials',
  'npm test',
  'true',
]

describe('near misses', () => {
  it.each(NEAR_MISSES)('%j is not a secret, under any key', (value) => {
    for (const key of [...SECRETISH_KEYS, 'description', 'evidence']) {
      expect(findSecrets({[key]: value}), key).toEqual([])
      expect(findSecrets({[key]: [value]}), `${key}[]`).toEqual([])
      expect(findSecretsInText(`${key}: ${value}`), `${key}: …`).toEqual([])
      expect(findSecretsInText(`${key}=${value}`), `${key}=…`).toEqual([])
      expect(findSecretsInText(JSON.stringify({[key]: value})), 'json').toEqual([])
    }
  })

  it('git SHAs are not secrets, also under sha/ref/version keys of a secret-named object', () => {
    const sha = pick(prng(9), HEX, 40)
    expect(findSecrets({commit: sha, sha, ref: sha, version: sha, head: {sha}})).toEqual([])
    expect(findSecrets({secret: {sha, ref: sha, version: sha}, tokenSha: sha, keyId: sha})).toEqual([])
    expect(findSecretsInText(`commit ${sha}\nref: ${sha}`)).toEqual([])
  })

  it('key names that merely contain token/key/secret do not make a value secret', () => {
    const random = pick(prng(10), BASE62, 32)
    const keys = [
      'tokenBudget',
      'maxTokens',
      'keyboard',
      'monkey',
      'secretsBlocked',
      'envFilesBlocked',
      'secretName',
      'tokenUrl',
      'authMethod',
      'passwordPolicy',
      'sortKey',
      'publicKey',
      'primaryKey',
      'private_key_id',
      'keyId',
      'disableSessionAuth',
      'useApiKey',
      'nextContinuationToken',
    ]
    for (const key of keys) expect(findSecrets({[key]: random}), key).toEqual([])
    expect(findSecrets({secretsBlocked: true, envFilesBlocked: true, tokenBudget: 100000})).toEqual([])
  })

  it('code and flag names in text are not secrets', () => {
    const text = [
      'const key = decodeUtf8String(at, to)',
      'currentToken = scanner.scanJsxIdentifier()',
      'credentials: httpOptions.withCredentials ? "include" : "same-origin"',
      'exports.SignWithCredentials = SignWithCredentials',
      'const pass = !this.result.issues',
      "const url = new URL('https://abc:xyz@example.com')",
    ].join('\n')
    expect(findSecretsInText(text)).toEqual([])
  })

  const examplePath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/spec/agent-manifest.example.yaml')
  const hasExample = existsSync(examplePath)

  it.skipIf(!hasExample)('the reference example manifest has no secrets (skips without ../shared)', () => {
    const text = readFileSync(examplePath, 'utf8')
    expect(findSecrets(parse(text))).toEqual([])
    expect(findSecretsInText(text)).toEqual([])
  })
})

// ------------------------------------------------------------------------------------------------
// Properties
// ------------------------------------------------------------------------------------------------

const WORDS = [
  'agent',
  'build',
  'deploy',
  'review',
  'payments',
  'refactor',
  'platform',
  'release',
  'staging',
  'production',
  'vault',
  'secret',
  'token',
  'key',
  'store',
  'access',
  'manual',
  'change',
  'pull',
  'request',
  'write',
  'read',
  'issue',
  'comment',
  'sandbox',
  'monorepo',
  'service',
  'account',
  'policy',
  'owner',
]
const word = fc.constantFrom(...WORDS)
const words = fc.array(word, {minLength: 1, maxLength: 6})
const capitalize = (w: string) => w[0].toUpperCase() + w.slice(1)

/** Values from small alphabets and dictionary words: these can never form a token. */
const harmlessValue = fc.oneof(
  fc.stringMatching(/^[a-z][a-z-]{0,60}$/),
  fc.stringMatching(/^[0-9]{1,40}$/),
  fc.stringMatching(/^[A-Z_]{1,40}$/),
  words.map((ws) => ws.join('-')),
  words.map((ws) => ws.join('_').toUpperCase()),
  words.map((ws) => ws[0] + ws.slice(1).map(capitalize).join('')),
  words.map((ws) => ws.map(capitalize).join('')),
  words.map((ws) => ws.join(' ')),
  fc.tuple(words, fc.constantFrom('', '.ts', '.yaml', '.json', '.md')).map(([ws, ext]) => '/' + ws.join('/') + ext),
  fc.tuple(words, fc.constantFrom('.ts', '.yaml')).map(([ws, ext]) => ws.join('/') + ext),
)
const anyKey = fc.oneof(
  fc.constantFrom(...SECRETISH_KEYS),
  word,
  words.map((ws) => ws[0] + ws.slice(1).map(capitalize).join('')),
)

describe('properties', () => {
  it('identifiers, words and paths never trigger', () => {
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        {depthSize: 'small'},
        harmlessValue,
        fc.array(tie('node'), {maxLength: 4}),
        fc.dictionary(anyKey, tie('node'), {maxKeys: 5}),
      ),
    })).node
    fc.assert(
      fc.property(tree, (value) => {
        expect(findSecrets(value)).toEqual([])
      }),
      {numRuns: 300},
    )
  })

  it('identifiers, words and paths never trigger in text', () => {
    const line = fc.tuple(anyKey, fc.constantFrom(': ', '=', ' = ', '": "'), harmlessValue).map(([k, sep, v]) => k + sep + v)
    fc.assert(
      fc.property(fc.array(line, {maxLength: 20}), (lines) => {
        expect(findSecretsInText(lines.join('\n'))).toEqual([])
      }),
      {numRuns: 300},
    )
  })

  it('previews never contain the random part of a secret', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fc.integer(), (c, seed) => {
        checkCase(c, seed)
      }),
      {seed: 20261127, numRuns: 500},
    )
  })
})

// ------------------------------------------------------------------------------------------------
// Traversal
// ------------------------------------------------------------------------------------------------

describe('traversal', () => {
  const token = () => 'npm' + '_' + pick(prng(11), BASE62, 36)

  it('visits a shared object once, at its first position', () => {
    const shared = {publishToken: token()}
    const hits = findSecrets({a: shared, b: [shared, {c: shared}]})
    expect(hits).toHaveLength(1)
    expect(hits[0].path).toEqual(['a', 'publishToken'])
  })

  it('visits YAML aliases once', () => {
    const doc = parse(`defaults: &d\n  publishToken: ${token()}\nci:\n  <<: *d\nrelease: *d\nlist: [*d, *d]\n`, {merge: true})
    const hits = findSecrets(doc)
    expect(hits.map((h) => h.path)).toEqual([
      ['defaults', 'publishToken'],
      // the merge key copies the value into a new object: a separate occurrence
      ['ci', 'publishToken'],
    ])
  })

  it('terminates on cycles', () => {
    const a: Record<string, unknown> = {secret: token()}
    a.self = a
    a.list = [a, a]
    expect(findSecrets(a)).toHaveLength(1)
  })

  it('handles a 50,000-deep nested array without overflowing the stack', () => {
    let value: unknown = token()
    for (let i = 0; i < 50_000; i++) value = [value]
    let hits: SecretHit[] = []
    expect(() => {
      hits = findSecrets(value)
    }).not.toThrow()
    expect(hits).toHaveLength(1)
    expect(hits[0].path).toHaveLength(50_000)
  })

  it('orders hits by traversal (document) order', () => {
    const r = prng(12)
    const a = 'ghp' + '_' + pick(r, BASE62, 36)
    const b = 'AKIA' + pick(r, UPPER + DIGITS, 16)
    const c = 'npm' + '_' + pick(r, BASE62, 36)
    const hits = findSecrets({z: {x: a}, a: [b, {k: c}]})
    expect(hits.map((h) => h.path)).toEqual([
      ['z', 'x'],
      ['a', 0],
      ['a', 1, 'k'],
    ])
  })
})
