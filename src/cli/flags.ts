/** Flags shared by several commands, defined once. */
import * as Flags from '@oclif/core/flags'
import {inputError} from '../core/errors.js'

export const catalogFlag = Flags.string({
  description: "add a team's own threats, controls or frameworks from a folder (threats.json, controls.json, <framework-id>.json)",
  multiple: true,
  helpGroup: 'CATALOG',
})

export const waiversFlag = Flags.string({
  description: 'waivers file (default: .leash/waivers.yaml when present)',
  helpGroup: 'ASSESSMENT',
})

export const dateFlag = Flags.string({
  description: 'assess as of this day, YYYY-MM-DD (default: today, UTC)',
  helpGroup: 'ASSESSMENT',
  parse: async (input) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input)
    const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined
    if (!date || date.toISOString().slice(0, 10) !== input) {
      throw inputError('usage', `--date "${input}" is not a date of the form YYYY-MM-DD`)
    }
    return input
  },
})

/** Split `a,b c` lists as flags take them, validated against the allowed values. */
export function listOf<T extends string>(flag: string, input: string, allowed: readonly T[]): T[] {
  const items = input
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
  for (const item of items) {
    if (!allowed.includes(item as T)) throw inputError('usage', `--${flag}: "${item}" is not one of ${allowed.join(', ')}`)
  }
  if (items.length === 0) throw inputError('usage', `--${flag} needs at least one of ${allowed.join(', ')}`)
  return [...new Set(items)] as T[]
}
