/** Colour only on a TTY and never with NO_COLOR (https://no-color.org). */
export function colourEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb'
}

const CODES = {red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, grey: 90, bold: 1, dim: 2} as const
export type Colour = keyof typeof CODES

export function paint(stream: NodeJS.WriteStream = process.stdout): (colour: Colour, text: string) => string {
  const on = colourEnabled(stream)
  return (colour, text) => (on ? `\u001B[${CODES[colour]}m${text}\u001B[0m` : text)
}

/** Text from a repository or a manifest, made safe for a terminal: no control characters. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '?')
}
