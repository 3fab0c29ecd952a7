/** Manifest paths: dotted keys with zero-based `[n]` for list items (`identity.credentials[1].ttl`). */
export type PathSegment = string | number
export type Path = readonly PathSegment[]

export function formatPath(path: Path): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else out += out === '' ? seg : `.${seg}`
  }
  return out
}

export function parsePath(text: string): PathSegment[] {
  const out: PathSegment[] = []
  for (const part of text.split('.')) {
    if (part === '') continue
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part)
    if (!m) {
      out.push(part)
      continue
    }
    if (m[1]) out.push(m[1])
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]))
  }
  return out
}

/** From an ajv instancePath (`/identity/credentials/1/ttl`) to path segments. */
export function fromPointer(pointer: string): PathSegment[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

const own = Object.prototype.hasOwnProperty

/** The value at `base` then `path` (no joined path is built), undefined when something is missing. */
export function valueAt(value: unknown, base: Path, path: Path): unknown {
  let cur: unknown = value
  for (let i = 0; i < base.length + path.length; i++) {
    const seg = i < base.length ? base[i] : path[i - base.length]
    if (cur === null || typeof cur !== 'object') return undefined
    if (Array.isArray(cur)) {
      if (typeof seg !== 'number' || seg >= cur.length) return undefined
      cur = cur[seg]
    } else {
      if (typeof seg !== 'string' || !own.call(cur, seg)) return undefined
      cur = (cur as Record<string, unknown>)[seg]
    }
  }
  return cur
}

/** The value at a path, and whether every segment was present. */
export function getAt(value: unknown, path: Path): {found: boolean; value: unknown} {
  const at = valueAt(value, [], path)
  return {found: at !== undefined, value: at}
}
