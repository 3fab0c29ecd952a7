/**
 * Orderings for output. Both are independent of the locale and of the ICU data that Node was
 * built with (so the same input sorts the same everywhere), and neither loads a collator, whose
 * first use costs several milliseconds of start-up.
 */

/** Code-point order, the order of `git ls-files` and of `sort` in the C locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Names as people read them: case-insensitive, then code-point order so that the order is total. */
export function compareNames(a: string, b: string): number {
  return compareText(a.toLowerCase(), b.toLowerCase()) || compareText(a, b)
}

const isDigit = (c: number) => c >= 48 && c <= 57

/**
 * Natural order for ids: runs of digits compare by their value (NHI2:2025 before NHI10:2025,
 * GOVERN 1.2 before GOVERN 1.10), everything else by code point; ties such as `01`/`1` fall back
 * to code-point order, so the order is total.
 */
export function compareIds(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i)
    const cb = b.charCodeAt(j)
    if (!isDigit(ca) || !isDigit(cb)) {
      if (ca !== cb) return ca - cb
      i++
      j++
      continue
    }
    while (i < a.length - 1 && a.charCodeAt(i) === 48 && isDigit(a.charCodeAt(i + 1))) i++
    while (j < b.length - 1 && b.charCodeAt(j) === 48 && isDigit(b.charCodeAt(j + 1))) j++
    let ei = i
    let ej = j
    while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++
    while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++
    if (ei - i !== ej - j) return ei - i - (ej - j)
    for (; i < ei; i++, j++) {
      const d = a.charCodeAt(i) - b.charCodeAt(j)
      if (d !== 0) return d
    }
  }
  return a.length - i - (b.length - j) || compareText(a, b)
}
