/** The manifest schema as data the core can walk: risk orders for diff, known paths for catalogs. */
import schema from '../../schemas/agent-manifest.schema.json' with {type: 'json'}

export type Order = unknown[] | 'ascending' | 'descending' | 'inclusion' | 'pattern'

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
}

export const MANIFEST_SCHEMA = schema as unknown as SchemaNode & {definitions: Record<string, SchemaNode>}

export function resolveNode(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node
  const target = MANIFEST_SCHEMA.definitions[node.$ref.replace('#/definitions/', '')]
  return {...target, ...node, $ref: undefined}
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
