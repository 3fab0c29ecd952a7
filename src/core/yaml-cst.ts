/**
 * Where a manifest path is in the text, read from the `yaml` package's concrete syntax tree (its
 * Parser, without composing a Document: a third of the cost of a first parse with positions).
 * It answers for what manifests are made of: block and flow mappings and lists, plain and quoted
 * keys, untagged values of any kind. Anything else on the way (an alias, an explicit, tagged,
 * anchored or empty key, a key that YAML reads as a number, boolean or null, an escape in a quoted
 * key, an empty or tagged value, several documents, a syntax error) answers undefined, and the
 * caller composes the Document instead. The offsets are those of the composed nodes (`range[0]`); a test compares
 * both on every path of every fixture and of generated documents. Pure.
 */
import type {CST} from 'yaml'
import type {Path} from './paths.js'

/** The same facts as a walk over the composed Document (document.ts): offsets, not positions. */
export interface CstWalk {
  /** Start of the value the whole path names, when found. */
  node?: number
  /** Start of the last key or list item found on the way. */
  keyOffset?: number
  found: boolean
  /** Start of the last mapping key found on the way. */
  keyOf?: number
}

type Item = CST.CollectionItem

/** A plain key that YAML's core schema reads as something other than the same text. */
const NOT_TEXT = /^(?:[-+.0-9~]|(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$)/

/** Tokens that carry no meaning between items: spaces, line breaks, comments, commas of a flow collection. */
const SPACING = new Set(['space', 'newline', 'comment', 'comma'])
/** Only spacing, or spacing and the given tokens. */
const onlySpacing = (tokens: readonly CST.SourceToken[], ...also: string[]) =>
  tokens.every((t) => SPACING.has(t.type) || also.includes(t.type))

/** The text of a key as the composed Document gives it, or undefined when it takes more than reading. */
function keyText(item: Item): string | undefined {
  const key = item.key
  if (!key || !onlySpacing(item.start)) return undefined
  const source = 'source' in key ? key.source : ''
  if (source.includes('\n')) return undefined
  switch (key.type) {
    case 'scalar':
      return source === '' || NOT_TEXT.test(source) ? undefined : source
    case 'single-quoted-scalar':
      // closed, and no '' (an escaped quote) inside
      return /^'[^']*'$/.test(source) ? source.slice(1, -1) : undefined
    case 'double-quoted-scalar':
      // closed, and no escape inside
      return /^"[^"\\]*"$/.test(source) ? source.slice(1, -1) : undefined
    default:
      return undefined
  }
}

const hasIndicator = (tokens: readonly CST.SourceToken[] | undefined, type: string) => tokens?.some((t) => t.type === type) ?? false

/**
 * The value of a `key: value` item, or undefined for an item this reader leaves to the Document:
 * no value, or a tagged one (a tag such as !!omap or !!pairs turns a list into pairs).
 */
function pairValue(item: Item): CST.Token | undefined {
  // only what cannot change the value's kind may stand between the key and the value
  if (!item.sep || !hasIndicator(item.sep, 'map-value-ind') || !onlySpacing(item.sep, 'map-value-ind', 'anchor')) return undefined
  return item.value && isNode(item.value) ? item.value : undefined
}

function isNode(token: CST.Token): boolean {
  switch (token.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'block-scalar':
    case 'block-map':
    case 'block-seq':
    case 'flow-collection':
      return true
    default:
      return false // alias, error, and the rest
  }
}

/** The mapping items of a block map or a `{…}`, or undefined when the token is not one. */
function mapItems(token: CST.Token): readonly Item[] | undefined {
  if (token.type === 'block-map') return token.items as readonly Item[]
  if (token.type === 'flow-collection' && token.start.source === '{') return token.items
  return undefined
}

/** The elements of a block list or a `[…]`, or undefined when one of them is not a plain value. */
function listValues(token: CST.Token): CST.Token[] | undefined {
  if (token.type === 'block-seq') {
    const values: CST.Token[] = []
    for (const item of token.items) {
      if (!hasIndicator(item.start, 'seq-item-ind')) {
        // a line of comments between elements; anything else is for the Document to judge
        if (item.value || !onlySpacing(item.start)) return undefined
        continue
      }
      if (!item.value || !isNode(item.value) || !onlySpacing(item.start, 'seq-item-ind')) return undefined
      values.push(item.value)
    }
    return values
  }
  if (token.type === 'flow-collection' && token.start.source === '[') {
    const values: CST.Token[] = []
    for (const item of token.items) {
      if (item.key !== undefined || item.sep || !item.value || !isNode(item.value) || !onlySpacing(item.start)) return undefined
      values.push(item.value)
    }
    return values
  }
  return undefined
}

/** Walk a path through the first document of a stream's tokens; undefined when the Document must answer. */
export function cstWalk(tokens: readonly CST.Token[], path: Path): CstWalk | undefined {
  // one document, no syntax error, no %YAML directive (YAML 1.1 reads keys differently)
  const docs = tokens.filter((t) => t.type === 'document')
  if (docs.length !== 1 || tokens.some((t) => t.type === 'error' || t.type === 'directive')) return undefined
  const root = (docs[0] as CST.Document).value
  if (!root || !isNode(root) || hasIndicator((docs[0] as CST.Document).start, 'tag')) return undefined
  let node: CST.Token = root
  let keyOffset: number | undefined
  let keyOf: number | undefined
  for (const seg of path) {
    const items = mapItems(node)
    const isList = node.type === 'block-seq' || (node.type === 'flow-collection' && node.start.source === '[')
    if (typeof seg === 'string' && items) {
      let match: Item | undefined
      for (const item of items) {
        if (!item.key && !item.sep && !item.value && onlySpacing(item.start)) continue // comments
        const text = keyText(item)
        if (text === undefined) return undefined
        if (text === seg) {
          match = item
          break
        }
      }
      if (!match) return {keyOffset, found: false}
      const value = pairValue(match)
      if (!value) return undefined
      keyOffset = keyOf = (match.key as CST.Token).offset
      node = value
    } else if (typeof seg === 'number' && isList) {
      const values = listValues(node)
      if (!values) return undefined
      const value = values[seg]
      if (!value) return {keyOffset, found: false}
      keyOffset = value.offset
      node = value
    } else {
      // a key in a list or a scalar, an index in a mapping or a scalar: not there
      return {keyOffset, found: false}
    }
  }
  return {node: node.offset, keyOffset, found: true, keyOf}
}
