/** `leash diff` as text for a terminal and as Markdown for a pull request comment. */
import type {Change, Direction} from '../diff.js'
import {escapeText} from './escape.js'

export interface DiffDocument {
  schemaVersion: 'leash-diff/v1'
  changes: Change[]
  old: {file: string; verdict: string; score: number}
  new: {file: string; verdict: string; score: number}
}

const SYMBOL: Record<Direction, string> = {widened: '▲ widened', narrowed: '▼ narrowed', changed: '• changed'}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(not declared)'
  if (Array.isArray(value))
    return value.length === 0 ? '[]' : value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function describe(c: Change): string {
  if (c.item !== undefined) {
    if (c.direction === 'widened') return `${c.item} added`
    if (c.direction === 'narrowed') return `${c.item} removed`
  }
  return `${show(c.old)} → ${show(c.new)}`
}

function riskLine(doc: DiffDocument): string {
  const delta = doc.new.score - doc.old.score
  const sign = delta > 0 ? `+${delta}` : String(delta)
  return `risk: score ${doc.old.score} → ${doc.new.score} (${sign}), verdict ${doc.old.verdict} → ${doc.new.verdict}`
}

export function renderDiffText(doc: DiffDocument, colour: (d: Direction, text: string) => string = (_d, t) => t): string {
  const lines = [`${doc.old.file} → ${doc.new.file}`, riskLine(doc), '']
  if (doc.changes.length === 0) lines.push('no privilege changed')
  for (const c of doc.changes) lines.push(`${colour(c.direction, SYMBOL[c.direction].padEnd(10))}  ${c.path}: ${describe(c)}`)
  const count = (d: Direction) => doc.changes.filter((c) => c.direction === d).length
  lines.push('', `${count('widened')} widened, ${count('narrowed')} narrowed, ${count('changed')} changed`)
  return `${lines.join('\n')}\n`
}

export function renderDiffMarkdown(doc: DiffDocument): string {
  const count = (d: Direction) => doc.changes.filter((c) => c.direction === d).length
  const widened = count('widened')
  const lines = [
    `### leash: agent privileges ${widened > 0 ? `widened (${widened})` : 'did not widen'}`,
    '',
    `${escapeText(doc.old.file)} → ${escapeText(doc.new.file)}: ${escapeText(riskLine(doc))}`,
    '',
  ]
  if (doc.changes.length === 0) lines.push('No privilege changed.')
  else {
    lines.push('| change | field | from → to |', '|---|---|---|')
    for (const c of doc.changes) lines.push(`| ${SYMBOL[c.direction]} | \`${c.path}\` | ${escapeText(describe(c))} |`)
  }
  lines.push('', `${widened} widened, ${count('narrowed')} narrowed, ${count('changed')} changed.`)
  return `${lines.join('\n')}\n`
}
