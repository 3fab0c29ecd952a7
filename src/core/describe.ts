/** Conditions in words, for `leash threats ID`, `leash controls ID` and reports. */
import type {Condition, Leaf} from './conditions.js'

const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ')

function leafText(leaf: Leaf, subject: string): string {
  const p = subject ? `${subject}.${leaf.path}` : leaf.path
  const suffix = leaf.ifAbsent === undefined ? '' : leaf.ifAbsent ? ' (or not declared)' : ''
  let text: string
  if (leaf.equals !== undefined) text = `${p} is ${String(leaf.equals)}`
  else if (leaf.oneOf !== undefined) text = `${p} is one of ${list(leaf.oneOf)}`
  else if (leaf.contains !== undefined) text = `${p} includes ${leaf.contains}`
  else if (leaf.containsAny !== undefined) text = `${p} includes any of ${list(leaf.containsAny)}`
  else if (leaf.nonEmpty !== undefined) text = leaf.nonEmpty ? `${p} is not empty` : `${p} is empty`
  else if (leaf.absent !== undefined) text = leaf.absent ? `${p} is not declared` : `${p} is declared`
  else if (leaf.present !== undefined) text = leaf.present ? `${p} is declared` : `${p} is not declared`
  else if (leaf.matches !== undefined) text = `${p} matches /${leaf.matches}/`
  else if (leaf.gt !== undefined) text = `${p} > ${leaf.gt}`
  else if (leaf.gte !== undefined) text = `${p} ≥ ${leaf.gte}`
  else if (leaf.lt !== undefined) text = `${p} < ${leaf.lt}`
  else if (leaf.lte !== undefined) text = `${p} ≤ ${leaf.lte}`
  else if (leaf.durationGt !== undefined) text = `${p} is longer than ${leaf.durationGt}`
  else if (leaf.durationGte !== undefined) text = `${p} is at least ${leaf.durationGte}`
  else if (leaf.durationLt !== undefined) text = `${p} is shorter than ${leaf.durationLt}`
  else if (leaf.durationLte !== undefined) text = `${p} is at most ${leaf.durationLte}`
  else text = p
  return text + suffix
}

/** One line per clause, indented by nesting. */
export function describeCondition(condition: Condition, indent = '', subject = ''): string[] {
  if ('all' in condition) {
    if (condition.all.length === 1) return describeCondition(condition.all[0], indent, subject)
    return [`${indent}all of:`, ...condition.all.flatMap((c) => describeCondition(c, `${indent}  `, subject))]
  }
  if ('any' in condition) {
    if (condition.any.length === 1) return describeCondition(condition.any[0], indent, subject)
    return [`${indent}any of:`, ...condition.any.flatMap((c) => describeCondition(c, `${indent}  `, subject))]
  }
  if ('not' in condition) return [`${indent}not:`, ...describeCondition(condition.not, `${indent}  `, subject)]
  if ('anyItem' in condition) {
    const s = subject ? `${subject}.${condition.anyItem}` : condition.anyItem
    return [`${indent}some item of ${s} where:`, ...describeCondition(condition.where, `${indent}  `, `${s}[]`)]
  }
  if ('allItems' in condition) {
    const s = subject ? `${subject}.${condition.allItems}` : condition.allItems
    return [`${indent}every item of ${s} where:`, ...describeCondition(condition.where, `${indent}  `, `${s}[]`)]
  }
  return [indent + leafText(condition, subject)]
}
