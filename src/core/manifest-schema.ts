/** The manifest schema as data the core can walk: risk orders for diff, known paths for catalogs. */
import schema from '../../schemas/agent-manifest.schema.json' with {type: 'json'}
import {durationSeconds} from './conditions.js'

export type Order = unknown[] | 'ascending' | 'descending' | 'inclusion' | 'pattern' | 'max'

export interface SchemaNode {
  type?: string
  $ref?: string
  enum?: unknown[]
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
  additionalProperties?: boolean | SchemaNode
  'x-leash-risk-order'?: Order
  'x-leash-unordered'?: boolean
  'x-leash-key'?: string
  /** The field means something only while its siblings have these values (an allowlist while the mode is allowlist). */
  'x-leash-only-when'?: Record<string, unknown>
}

export const MANIFEST_SCHEMA = schema as unknown as SchemaNode & {definitions: Record<string, SchemaNode>}

export function resolveNode(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node
  const target = MANIFEST_SCHEMA.definitions[node.$ref.replace('#/definitions/', '')]
  return {...target, ...node, $ref: undefined}
}

/** The schema node of a manifest path, list indexes skipped (`tools.mcpServers[1].pinned`, `tools.mcpServers.pinned`). */
export function nodeAtManifestPath(path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolveNode(MANIFEST_SCHEMA)
  for (const seg of path.replace(/\[\d*\]/g, '').split('.')) {
    if (node?.type === 'array' && node.items) node = resolveNode(node.items)
    const next: SchemaNode | undefined = node?.properties?.[seg]
    if (!next) return undefined
    node = resolveNode(next)
  }
  return node
}

/**
 * Compare two declared values of one field by the schema's risk order: > 0 when `a` grants
 * more than `b`, < 0 when less, 0 when equal or not comparable. Enums by position, booleans by
 * their risky value, numbers ascending or descending, durations by length.
 */
export function compareRisk(node: SchemaNode, a: unknown, b: unknown): number {
  const order = node['x-leash-risk-order']
  if (a === b) return 0
  if (Array.isArray(order)) {
    const [ia, ib] = [order.indexOf(a), order.indexOf(b)]
    return ia < 0 || ib < 0 ? 0 : Math.sign(ia - ib)
  }
  const sign = order === 'descending' ? -1 : order === 'ascending' ? 1 : 0
  if (typeof a === 'number' && typeof b === 'number') return sign * Math.sign(a - b)
  if (typeof a === 'string' && typeof b === 'string') return sign * Math.sign(durationSeconds(a) - durationSeconds(b))
  return 0
}

/**
 * The schema node at a condition path, `[]` stepping into list items (`identity.credentials[].ttl`),
 * or undefined when the manifest has no such field.
 */
export function nodeAt(path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = MANIFEST_SCHEMA
  for (const raw of path.split('.')) {
    const listItem = raw.endsWith('[]')
    const key = listItem ? raw.slice(0, -2) : raw
    node = node && resolveNode(node)
    if (key !== '') {
      if (node?.properties?.[key]) node = node.properties[key]
      else if (node && typeof node.additionalProperties === 'object') node = node.additionalProperties
      else return undefined
    }
    if (listItem) {
      node = node && resolveNode(node)
      if (node?.type !== 'array' || !node.items) return undefined
      node = node.items
    }
  }
  return node && resolveNode(node)
}
