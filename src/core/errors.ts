/** One problem in one input file, located as precisely as the input allows. */
export interface Diagnostic {
  /** A stable machine code: schema, yaml-syntax, limit-size, secret, … */
  code: string
  file: string
  line: number
  column: number
  /** Manifest path (`tools.mcpServers[0].pinned`), '' for the whole document. */
  path: string
  message: string
  allowed?: string[]
  suggestion?: string
}

/** Input that cannot be used (exit 2). Carries every problem found in the file, not only the first. */
export class InputError extends Error {
  readonly diagnostics: Diagnostic[]
  constructor(diagnostics: Diagnostic[] | Diagnostic) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics]
    super(list.map(formatDiagnostic).join('\n'))
    this.name = 'InputError'
    this.diagnostics = list
  }
}

/** Input problem that is not tied to a file (an unknown id in a flag, a missing default file). */
export function inputError(code: string, message: string, file = '', extra: Partial<Diagnostic> = {}): InputError {
  return new InputError({code, file, line: 0, column: 0, path: '', message, ...extra})
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? (d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file) : ''
  const path = d.path ? `${d.path}: ` : ''
  return `${where}${where ? ' ' : ''}${path}${d.message}`
}
