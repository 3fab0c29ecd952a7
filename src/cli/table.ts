/** Plain-text tables and wrapped paragraphs for a terminal. */
export function table(headers: string[], rows: string[][], maxWidth = process.stdout.columns || 120): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  // Shrink the widest column until the table fits.
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)
  while (total() > maxWidth) {
    const widest = widths.indexOf(Math.max(...widths))
    if (widths[widest] <= 12) break
    widths[widest]--
  }
  const cell = (text: string, w: number) => (text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => cell(c ?? '', widths[i]))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n'
}

export function wrap(text: string, width = Math.min(process.stdout.columns || 100, 100), indent = ''): string {
  const words = text.split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let current = indent
  for (const word of words) {
    if (current.length + word.length + 1 > width && current.trim() !== '') {
      lines.push(current.trimEnd())
      current = indent
    }
    current += (current.trim() === '' ? '' : ' ') + word
  }
  if (current.trim() !== '') lines.push(current.trimEnd())
  return lines.join('\n') + '\n'
}
