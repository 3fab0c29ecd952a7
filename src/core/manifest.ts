/**
 * A manifest from text: parsed within limits, refused if it holds a secret, validated against
 * schemas/agent-manifest.schema.json (precompiled), every problem located.
 */
import agentManifest from '../generated/validators/agentManifest.cjs'
import type {LeashAgentManifestLeashV1} from '../generated/manifest-types.js'
import {DEFAULT_LIMITS, parseText, type Limits, type ParsedDocument} from './document.js'
import {InputError, type Diagnostic} from './errors.js'
import {formatPath} from './paths.js'
import {findSecrets} from './secrets.js'
import {assertValid} from './validate.js'

export type AgentManifest = LeashAgentManifestLeashV1

export interface LoadedManifest {
  doc: ParsedDocument
  manifest: AgentManifest
}

/** Refuse any value that looks like a secret, naming path, line and kind, never the value. */
export function assertNoSecrets(doc: ParsedDocument, what = 'a manifest'): void {
  const hits = findSecrets(doc.value)
  if (hits.length === 0) return
  throw new InputError(
    hits.map((hit): Diagnostic => {
      const pos = hit.inKey ? doc.locateKey(hit.path) : doc.locate(hit.path)
      return {
        code: 'secret',
        file: doc.file,
        line: pos.line,
        column: pos.column,
        path: formatPath(hit.path),
        message: `looks like ${article(hit.label)} ${hit.label} (${hit.preview}): secrets never belong in ${what}; keep it in a secret store and declare only its name and kind`,
      }
    }),
  )
}

function article(label: string): string {
  return /^[aeiouAEIOU]/.test(label) ? 'an' : 'a'
}

/** `tools.mcpServers[].version` is text: a YAML number such as 1.10 is read as written. */
function versionsAsText(doc: ParsedDocument): void {
  const servers = (doc.value as {tools?: {mcpServers?: unknown}})?.tools?.mcpServers
  if (!Array.isArray(servers)) return
  servers.forEach((server, i) => {
    if (server && typeof server === 'object' && typeof (server as {version?: unknown}).version === 'number') {
      const source = doc.sourceOf(['tools', 'mcpServers', i, 'version'])
      ;(server as {version: unknown}).version = source ?? String((server as {version: number}).version)
    }
  })
}

export function loadManifest(text: string, file: string, limits: Limits = DEFAULT_LIMITS): LoadedManifest {
  const doc = parseText(text, file, limits)
  assertNoSecrets(doc)
  versionsAsText(doc)
  assertValid(doc, agentManifest)
  return {doc, manifest: doc.value as AgentManifest}
}
