/** Unknown keys are warnings (a misspelt or newer key may change what a tool grants). */
import type {Path} from '../paths.js'
import {formatPath} from '../paths.js'
import type {Collector} from './collector.js'
import type {SourceDoc} from './source.js'

export function warnUnknownKeys(
  c: Collector,
  doc: SourceDoc,
  path: Path,
  value: Record<string, unknown>,
  known: ReadonlySet<string>,
  what: string,
): void {
  for (const key of Object.keys(value)) {
    if (known.has(key)) continue
    const at = doc.keyAt([...path, key])
    const shown = key.length > 60 ? `${key.slice(0, 57)}…` : key
    c.warn(
      'unknown-key',
      {file: doc.file, line: at.line, column: at.column},
      `unknown ${what} "${shown}" (not in the known keys; check the spelling or the tool version)`,
      formatPath([...path, key]),
    )
  }
}
