/**
 * A small layered layout for the blast-radius graph (a Sugiyama layout with fixed layers):
 * one column per kind of node, inputs → agent → tools → code and CI/CD → secrets, cloud and
 * production. An edge that skips columns gets a waypoint in each column it crosses, so it runs
 * between the nodes there instead of through them; the order inside each column is chosen by
 * barycentre sweeps (fewest crossings kept), positions by averaging over neighbours. Edges
 * inside one column become arcs beside it. Pure, deterministic, no floating-point surprises
 * beyond rounding at drawing time.
 */

export type Point = [number, number]

export interface LayoutInput {
  nodes: {id: string; kind: string}[]
  edges: {from: string; to: string}[]
}

export interface PlacedNode {
  id: string
  col: number
  x: number
  y: number
  w: number
  h: number
}

export interface PlacedEdge {
  index: number
  /** SVG path data, drawn from the left end to the right end (arcs: from source to target). */
  path: string
  /** True when the arrow belongs at the start of the path (the edge runs right to left). */
  reversed: boolean
  /** Where a badge may go, best first. */
  badges: Point[]
}

export interface Layout {
  width: number
  height: number
  columns: {kindColumn: number; x: number; w: number}[]
  nodes: PlacedNode[]
  edges: PlacedEdge[]
}

export const KIND_COLUMN: Record<string, number> = {
  input: 0,
  agent: 1,
  tool: 2,
  repository: 3,
  cicd: 3,
  secrets: 4,
  cloud: 4,
  production: 4,
}
const FALLBACK_COLUMN = 2

const W = 146
const H = 46
const GAP = 82
const NODE_SEP = 24
const DUMMY_SEP = 14
const DUMMY_EXT = 3
const MARGIN_X = 48
const HEADER = 40
const MARGIN_BOTTOM = 16

interface Item {
  key: string
  col: number
  node: boolean
}

const ext = (item: Item) => (item.node ? H / 2 : DUMMY_EXT)
const sep = (a: Item, b: Item) => ext(a) + ext(b) + (a.node && b.node ? NODE_SEP : DUMMY_SEP)
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length

function bezierPoint(p0: Point, p1: Point, p2: Point, p3: Point, t: number): Point {
  const u = 1 - t
  const f = (i: 0 | 1) => u * u * u * p0[i] + 3 * u * u * t * p1[i] + 3 * u * t * t * p2[i] + t * t * t * p3[i]
  return [f(0), f(1)]
}

const n1 = (n: number) => (Math.round(n * 10) / 10).toString()

export function layoutGraph(input: LayoutInput): Layout {
  const kindCols = [...new Set(input.nodes.map((n) => KIND_COLUMN[n.kind] ?? FALLBACK_COLUMN))].sort((a, b) => a - b)
  const colOf = new Map(input.nodes.map((n) => [n.id, kindCols.indexOf(KIND_COLUMN[n.kind] ?? FALLBACK_COLUMN)]))
  const columns: Item[][] = kindCols.map(() => [])
  for (const n of input.nodes) columns[colOf.get(n.id)!].push({key: n.id, col: colOf.get(n.id)!, node: true})

  // Chains: each edge between different columns, left to right, with one waypoint per column it crosses.
  const chains = new Map<number, {items: string[]; reversed: boolean}>()
  const arcs: number[] = []
  input.edges.forEach((e, index) => {
    const cs = colOf.get(e.from)
    const ct = colOf.get(e.to)
    if (cs === undefined || ct === undefined) return
    if (cs === ct) {
      arcs.push(index)
      return
    }
    const [left, right, lc, rc] = cs < ct ? [e.from, e.to, cs, ct] : [e.to, e.from, ct, cs]
    const items = [left]
    for (let c = lc + 1; c < rc; c++) {
      const key = `~${index}@${c}`
      columns[c].push({key, col: c, node: false})
      items.push(key)
    }
    items.push(right)
    chains.set(index, {items, reversed: cs > ct})
  })

  // Partners inside a column (arcs): they pull an item with no other neighbour next to them.
  const partners = new Map<string, string[]>()
  for (const index of arcs) {
    const {from, to} = input.edges[index]
    ;(partners.get(from) ?? partners.set(from, []).get(from)!).push(to)
    ;(partners.get(to) ?? partners.set(to, []).get(to)!).push(from)
  }

  // Neighbours across each gap.
  const leftOf = new Map<string, string[]>()
  const rightOf = new Map<string, string[]>()
  for (const {items} of chains.values()) {
    for (let i = 0; i + 1 < items.length; i++) {
      ;(rightOf.get(items[i]) ?? rightOf.set(items[i], []).get(items[i])!).push(items[i + 1])
      ;(leftOf.get(items[i + 1]) ?? leftOf.set(items[i + 1], []).get(items[i + 1])!).push(items[i])
    }
  }

  // Order: barycentre sweeps, keeping the order with the fewest crossings.
  const crossings = (cols: Item[][]) => {
    let total = 0
    for (let c = 0; c + 1 < cols.length; c++) {
      const pos = new Map(cols[c + 1].map((it, i) => [it.key, i]))
      const segs: [number, number][] = []
      cols[c].forEach((it, i) => {
        for (const r of rightOf.get(it.key) ?? []) segs.push([i, pos.get(r)!])
      })
      for (let a = 0; a < segs.length; a++) {
        for (let b = a + 1; b < segs.length; b++) {
          if ((segs[a][0] - segs[b][0]) * (segs[a][1] - segs[b][1]) < 0) total++
        }
      }
    }
    return total
  }
  let best = columns.map((c) => [...c])
  let bestCrossings = crossings(best)
  const sweep = (cols: Item[][], c: number, neighbours: Map<string, string[]>, other: Item[]) => {
    const pos = new Map(other.map((it, i) => [it.key, i]))
    const scale = other.length > 1 ? (cols[c].length - 1) / (other.length - 1) : 1
    const keyed = cols[c].map((it, i) => {
      const ns = (neighbours.get(it.key) ?? []).map((k) => pos.get(k)).filter((p): p is number => p !== undefined)
      return {it, i, key: ns.length > 0 ? mean(ns) * scale : undefined}
    })
    const own = new Map(cols[c].map((it, i) => [it.key, i]))
    for (const k of keyed) {
      if (k.key !== undefined) continue
      const ps = (partners.get(k.it.key) ?? []).map((p) => keyed[own.get(p)!]).filter((p) => p.key !== undefined)
      k.key = ps.length > 0 ? mean(ps.map((p) => p.key!)) + 0.5 : k.i
    }
    keyed.sort((a, b) => a.key! - b.key! || a.i - b.i)
    cols[c] = keyed.map((k) => k.it)
  }
  const work = columns.map((c) => [...c])
  for (let round = 0; round < 8; round++) {
    for (let c = 1; c < work.length; c++) sweep(work, c, leftOf, work[c - 1])
    for (let c = work.length - 2; c >= 0; c--) sweep(work, c, rightOf, work[c + 1])
    const n = crossings(work)
    if (n < bestCrossings) {
      best = work.map((c) => [...c])
      bestCrossings = n
    }
  }

  // Positions: each item towards the mean of its neighbours, order and spacing kept.
  const y = new Map<string, number>()
  for (const col of best) {
    let at = 0
    col.forEach((it, i) => {
      at = i === 0 ? ext(it) : at + sep(col[i - 1], it)
      y.set(it.key, at)
    })
  }
  const place = (col: Item[], desired: number[]) => {
    const f: number[] = []
    const b: number[] = []
    col.forEach((it, i) => (f[i] = i === 0 ? desired[0] : Math.max(desired[i], f[i - 1] + sep(col[i - 1], it))))
    for (let i = col.length - 1; i >= 0; i--)
      b[i] = i === col.length - 1 ? desired[i] : Math.min(desired[i], b[i + 1] - sep(col[i], col[i + 1]))
    col.forEach((it, i) => y.set(it.key, (f[i] + b[i]) / 2))
  }
  const desiredFrom = (col: Item[], sides: Map<string, string[]>[]) =>
    col.map((it) => {
      const ys = sides.flatMap((s) => (s.get(it.key) ?? []).map((k) => y.get(k)!))
      const ps = (partners.get(it.key) ?? []).map((k) => y.get(k)!)
      return ys.length + ps.length > 0 ? mean([...ys, ...ps]) : y.get(it.key)!
    })
  for (let round = 0; round < 10; round++) {
    const both = round >= 6
    for (let c = 1; c < best.length; c++) place(best[c], desiredFrom(best[c], both ? [leftOf, rightOf] : [leftOf]))
    for (let c = best.length - 2; c >= 0; c--) place(best[c], desiredFrom(best[c], both ? [leftOf, rightOf] : [rightOf]))
  }
  const all = best.flat()
  const minTop = Math.min(...all.map((it) => y.get(it.key)! - ext(it)))
  const maxBottom = Math.max(...all.map((it) => y.get(it.key)! - ext(it) + 2 * ext(it)))
  const shift = HEADER + 36 - minTop
  for (const it of all) y.set(it.key, y.get(it.key)! + shift)

  const colX = (c: number) => MARGIN_X + c * (W + GAP)
  const nodes: PlacedNode[] = input.nodes
    .filter((n) => colOf.has(n.id))
    .map((n) => ({id: n.id, col: colOf.get(n.id)!, x: colX(colOf.get(n.id)!), y: y.get(n.id)! - H / 2, w: W, h: H}))
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const colOfKey = new Map(best.flatMap((col, c) => col.map((it) => [it.key, c] as const)))

  // Where each edge meets a node: spread along the side it uses, ordered by where its other end is.
  interface Port {
    node: string
    side: 'left' | 'right'
    towards: number
    at: Point
  }
  const ports: Port[] = []
  const port = (node: string, side: 'left' | 'right', towards: number): Port => {
    const n = byId.get(node)!
    const p: Port = {node, side, towards, at: [side === 'left' ? n.x : n.x + n.w, n.y + n.h / 2]}
    ports.push(p)
    return p
  }
  const yOf = (key: string) => y.get(key)!
  const chainPorts = new Map<number, {start: Port; end: Port}>()
  for (const [index, chain] of chains) {
    const items = chain.items
    chainPorts.set(index, {
      start: port(items[0], 'right', yOf(items[1])),
      end: port(items[items.length - 1], 'left', yOf(items[items.length - 2])),
    })
  }
  const traffic = (gap: number) => {
    let n = 0
    for (const ch of chains.values()) for (let i = 0; i + 1 < ch.items.length; i++) if (colOfKey.get(ch.items[i]) === gap) n++
    return n
  }
  const sidesUsed = new Map<string, number>()
  const arcPorts = new Map<number, {start: Port; end: Port; right: boolean; used: number}>()
  for (const index of arcs) {
    const e = input.edges[index]
    const s = byId.get(e.from)!
    const pair = [e.from, e.to].sort().join('|')
    const used = sidesUsed.get(pair) ?? 0
    sidesUsed.set(pair, used + 1)
    // The first and last columns take arcs outside; the others on their quieter side.
    const preferRight = traffic(s.col) <= traffic(s.col - 1)
    const right = used % 2 === 0 ? preferRight : !preferRight
    const side = right ? 'right' : 'left'
    arcPorts.set(index, {start: port(e.from, side, yOf(e.to)), end: port(e.to, side, yOf(e.from)), right, used})
  }
  const groups = new Map<string, Port[]>()
  for (const p of ports) {
    const key = `${p.node}|${p.side}`
    ;(groups.get(key) ?? groups.set(key, []).get(key)!).push(p)
  }
  for (const group of groups.values()) {
    const n = byId.get(group[0].node)!
    group.sort((a, b) => a.towards - b.towards)
    const step = Math.min(9, (n.h - 12) / Math.max(1, group.length - 1))
    group.forEach((p, i) => (p.at = [p.at[0], n.y + n.h / 2 + (i - (group.length - 1) / 2) * step]))
  }

  // Edges between columns: smooth curves between waypoints, straight runs across a column.
  const edges: PlacedEdge[] = []
  for (const [index, chain] of chains) {
    const {start, end} = chainPorts.get(index)!
    const pts = chain.items.map((key, i) => {
      if (i === 0) return {enter: start.at, leave: start.at}
      if (i === chain.items.length - 1) return {enter: end.at, leave: end.at}
      const c = colOfKey.get(key)!
      return {enter: [colX(c), yOf(key)] as Point, leave: [colX(c) + W, yOf(key)] as Point}
    })
    let d = `M${n1(pts[0].leave[0])},${n1(pts[0].leave[1])}`
    const badges: Point[] = []
    const segments: [Point, Point, Point, Point][] = []
    for (let i = 1; i < pts.length; i++) {
      const p0 = pts[i - 1].leave
      const p3 = pts[i].enter
      const dx = (p3[0] - p0[0]) / 2
      const seg: [Point, Point, Point, Point] = [p0, [p0[0] + dx, p0[1]], [p3[0] - dx, p3[1]], p3]
      segments.push(seg)
      d += ` C${n1(seg[1][0])},${n1(seg[1][1])} ${n1(seg[2][0])},${n1(seg[2][1])} ${n1(p3[0])},${n1(p3[1])}`
      if (i < pts.length - 1) {
        d += ` L${n1(pts[i].leave[0])},${n1(pts[i].leave[1])}`
        badges.push([(pts[i].enter[0] + pts[i].leave[0]) / 2, pts[i].enter[1]])
      }
    }
    for (const t of [0.5, 0.36, 0.64, 0.26, 0.74]) for (const seg of segments) badges.push(bezierPoint(...seg, t))
    edges.push({index, path: d, reversed: chain.reversed, badges})
  }

  // Edges inside a column: arcs beside it, wider the further apart their ends are.
  let leftReach = 0
  let rightReach = 0
  for (const [index, {start, end, right, used}] of arcPorts) {
    const off = 26 + 0.3 * Math.abs(end.at[1] - start.at[1]) + Math.floor(used / 2) * 12
    const sign = right ? 1 : -1
    const p0 = start.at
    const p3 = end.at
    const p1: Point = [p0[0] + sign * off, p0[1]]
    const p2: Point = [p3[0] + sign * off, p3[1]]
    const col = byId.get(input.edges[index].from)!.col
    if (!right && col === 0) leftReach = Math.max(leftReach, 0.75 * off + 14)
    if (right && col === best.length - 1) rightReach = Math.max(rightReach, 0.75 * off + 14)
    const path = `M${n1(p0[0])},${n1(p0[1])} C${n1(p1[0])},${n1(p1[1])} ${n1(p2[0])},${n1(p2[1])} ${n1(p3[0])},${n1(p3[1])}`
    edges.push({index, path, reversed: false, badges: [0.5, 0.4, 0.6, 0.3, 0.7].map((t) => bezierPoint(p0, p1, p2, p3, t))})
  }
  edges.sort((a, b) => a.index - b.index)

  // Room for the outermost arcs: shift right by what the left ones need.
  const dx = Math.max(0, leftReach - (MARGIN_X - 16))
  if (dx > 0) {
    for (const n of nodes) n.x += dx
    for (const e of edges) {
      e.path = e.path.replace(/(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g, (_m, x: string, yy: string) => `${n1(Number(x) + dx)},${yy}`)
      e.badges = e.badges.map(([bx, by]) => [bx + dx, by])
    }
  }
  return {
    width: colX(best.length - 1) + W + dx + Math.max(MARGIN_X, rightReach + 16),
    height: HEADER + 36 + (maxBottom - minTop) + MARGIN_BOTTOM,
    columns: kindCols.map((k, c) => ({kindColumn: k, x: colX(c) + dx, w: W})),
    nodes,
    edges,
  }
}
