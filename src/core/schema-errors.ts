/**
 * From ajv's errors to diagnostics people can act on: one per problem, located, with the allowed
 * values and the closest one for enums, and the closest known key for a misspelt one.
 */
import {closest, distance} from 'fastest-levenshtein'
import type {Diagnostic} from './errors.js'
import type {ParsedDocument} from './document.js'
import {formatPath, fromPointer, type PathSegment} from './paths.js'
import type {AjvError} from './validate-types.js'
import {compareText} from './order.js'

/** The closest candidate, if it is close enough to be a plausible typo. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0 || input === '') return undefined
  const best = closest(input, candidates as string[])
  const d = distance(input.toLowerCase(), best.toLowerCase())
  return d <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}

export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'text',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  null: 'null',
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return 'text'
  if (typeof value === 'boolean') return 'a boolean'
  return `a ${typeof value}`
}

const FORMAT_NAMES: Record<string, string> = {
  date: 'a date (YYYY-MM-DD)',
  email: 'an e-mail address',
  uri: 'a URL',
}

/** Convert ajv errors of one document into diagnostics, sorted by position. */
export function toDiagnostics(errors: readonly AjvError[], doc: ParsedDocument): Diagnostic[] {
  const out: Diagnostic[] = []
  const seen = new Set<string>()
  // Errors inside an anyOf/oneOf branch are summarised by the anyOf error itself.
  const relevant = errors.filter((e) => !/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath))
  for (const error of relevant) {
    const path: PathSegment[] = fromPointer(error.instancePath)
    let target = path
    let pos = doc.locate(path)
    let message: string
    let allowed: string[] | undefined
    let suggestion: string | undefined
    const schema = error.parentSchema ?? {}
    switch (error.keyword) {
      case 'enum': {
        allowed = (error.params.allowedValues as unknown[]).map(String)
        suggestion = typeof error.data === 'string' ? suggest(error.data, allowed) : undefined
        message = `${show(error.data)} is not one of ${allowed.join(' | ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`
        break
      }
      case 'const':
        message = `${show(error.data)} must be ${show(error.params.allowedValue)}`
        allowed = [String(error.params.allowedValue)]
        break
      case 'additionalProperties': {
        const key = String(error.params.additionalProperty)
        target = [...path, key]
        pos = {...doc.locateKey(target), found: true}
        const known = Object.keys((schema.properties as Record<string, unknown>) ?? {})
        suggestion = suggest(key, known)
        message = `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`
        break
      }
      case 'required': {
        const missing = String(error.params.missingProperty)
        target = [...path, missing]
        pos = doc.locate(target)
        message = `required field "${missing}" is missing`
        break
      }
      case 'type': {
        const expected = String(error.params.type)
          .split(',')
          .map((t) => TYPE_NAMES[t] ?? t)
          .join(' or ')
        message = `expected ${expected}, got ${typeOf(error.data)}${typeof error.data === 'object' ? '' : ` ${show(error.data)}`}`
        break
      }
      case 'format':
        message = `${show(error.data)} is not ${FORMAT_NAMES[String(error.params.format)] ?? `a valid ${String(error.params.format)}`}`
        break
      case 'pattern':
        message = `${show(error.data)} is not valid${schema.description ? `: ${String(schema.description)}` : ` (expected the pattern ${String(error.params.pattern)})`}`
        break
      case 'anyOf':
      case 'oneOf':
        message = `${show(error.data)} is not valid${schema.description ? `: expected ${lowerFirst(String(schema.description))}` : ''}`
        break
      case 'uniqueItems':
        message = `lists the same item twice (items ${error.params.j} and ${error.params.i})`
        break
      default:
        message = error.message ?? `fails ${error.keyword}`
    }
    const rendered = formatPath(target)
    const key = `${rendered}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({
      code: 'schema',
      file: doc.file,
      line: pos.line,
      column: pos.column,
      path: rendered,
      message,
      ...(allowed ? {allowed} : {}),
      ...(suggestion ? {suggestion} : {}),
    })
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column || compareText(a.path, b.path))
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
