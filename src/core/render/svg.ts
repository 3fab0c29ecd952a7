/**
 * The two drawings of the HTML report, as inline SVG built from the result alone (no Mermaid,
 * no script, no external reference): the likelihood × impact heat map and the blast-radius
 * graph. The graph uses a small layout of our own: one column per kind of node (inputs → agent
 * → tools → code and CI/CD → secrets, cloud, production); edges between neighbouring columns
 * are curves, longer or backward ones run in corridors above or below the nodes, edges inside
 * a column are arcs beside it; each edge carries its number from the table under the drawing.
 * Colour is never the only cue: bands have hatching, guard states have dash patterns.
 * Every text goes through escapeText. Pure and deterministic.
 */
import type {Severity} from '../engine.js'
import {escapeText as esc} from './escape.js'
import {layoutGraph, type Point} from './graph-layout.js'
import type {GraphView, ReportView} from './view.js'

const r1 = (n: number) => (Math.round(n * 10) / 10).toString()

export const BAND_STYLE: Record<Exclude<Severity, 'info'>, {fill: string; ink: string; label: string}> = {
  critical: {fill: '#f3b7b3', ink: '#9b1c1c', label: 'critical (≥ 20)'},
  high: {fill: '#f9d2a8', ink: '#a34700', label: 'high (12–19)'},
  medium: {fill: '#fbeaa6', ink: '#7a5d00', label: 'medium (6–11)'},
  low: {fill: '#d8ecd6', ink: '#2e6b34', label: 'low (1–5)'},
}

function bandPatterns(): string {
  const {critical, high, medium, low} = BAND_STYLE
  return [
    `<pattern id="lr-band-critical" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)"><rect width="7" height="7" fill="${critical.fill}"/><rect width="2.4" height="7" fill="${critical.ink}" fill-opacity="0.32"/></pattern>`,
    `<pattern id="lr-band-high" patternUnits="userSpaceOnUse" width="9" height="9" patternTransform="rotate(-45)"><rect width="9" height="9" fill="${high.fill}"/><rect width="1.4" height="9" fill="${high.ink}" fill-opacity="0.28"/></pattern>`,
    `<pattern id="lr-band-medium" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="${medium.fill}"/><circle cx="4" cy="4" r="1.2" fill="${medium.ink}" fill-opacity="0.35"/></pattern>`,
    `<pattern id="lr-band-low" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="${low.fill}"/></pattern>`,
  ].join('')
}

const ellipsis = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/** Greedy word wrap to lines of at most `width` characters (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

function textLines(lines: string[], x: number, y: number, size: number, attrs: string, lineHeight = size * 1.25): string {
  const first = y - ((lines.length - 1) * lineHeight) / 2
  return lines
    .map(
      (l, i) =>
        `<text x="${r1(x)}" y="${r1(first + i * lineHeight)}" font-size="${size}" text-anchor="middle" dominant-baseline="central" ${attrs}>${esc(l)}</text>`,
    )
    .join('')
}

/** The 5 × 5 heat map: impact 5 at the top, likelihood 1 on the left, findings by number in their cell. */
export function heatMapSvg(heat: ReportView['heat']): string {
  const cw = 112
  const ch = 70
  const left = 70
  const top = 14
  const gridW = cw * 5
  const gridH = ch * 5
  const width = left + gridW + 20
  const legendY = top + gridH + 62
  const height = legendY + 30
  const out: string[] = []
  const total = heat.rows.reduce((n, r) => n + r.cells.reduce((m, c) => m + c.count, 0), 0)
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="figure heat-map" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="lr-heat-title">`,
    `<title id="lr-heat-title">Risk heat map: ${total} ${total === 1 ? 'finding' : 'findings'} by residual likelihood and impact</title>`,
    `<defs>${bandPatterns()}</defs>`,
  )
  heat.rows.forEach((row, ri) => {
    const y = top + ri * ch
    out.push(
      `<text x="${left - 14}" y="${y + ch / 2}" font-size="14" font-weight="700" text-anchor="end" dominant-baseline="central" fill="#2b3442">${row.impact}</text>`,
    )
    row.cells.forEach((cell, ci) => {
      const x = left + ci * cw
      const band = cell.band === 'info' ? 'low' : cell.band
      out.push(`<rect x="${x}" y="${y}" width="${cw}" height="${ch}" fill="url(#lr-band-${band})" stroke="#ffffff" stroke-width="3"/>`)
      out.push(
        `<text x="${x + 8}" y="${y + 13}" font-size="10" fill="${BAND_STYLE[band].ink}" fill-opacity="0.85">${cell.likelihood * cell.impact}</text>`,
      )
      if (cell.count > 0) {
        const refs = wrap(cell.refs.replace(/, /g, ', '), 17)
        const shown = refs.length > 2 ? [refs[0], `${refs[1]} …`] : refs
        const boxH = 26 + shown.length * 13
        out.push(
          `<rect x="${x + 10}" y="${y + (ch - boxH) / 2 + 2}" width="${cw - 20}" height="${boxH}" rx="7" fill="#ffffff" fill-opacity="0.9" stroke="${BAND_STYLE[band].ink}" stroke-width="1.2"/>`,
        )
        out.push(
          `<text x="${x + cw / 2}" y="${y + (ch - boxH) / 2 + 16}" font-size="17" font-weight="700" text-anchor="middle" dominant-baseline="central" fill="#141a22">${cell.count}</text>`,
        )
        shown.forEach((l, i) => {
          out.push(
            `<text x="${x + cw / 2}" y="${y + (ch - boxH) / 2 + 33 + i * 13}" font-size="11" text-anchor="middle" dominant-baseline="central" fill="#2b3442">${esc(l)}</text>`,
          )
        })
      }
    })
  })
  for (let l = 1; l <= 5; l++) {
    out.push(
      `<text x="${left + (l - 0.5) * cw}" y="${top + gridH + 16}" font-size="14" font-weight="700" text-anchor="middle" dominant-baseline="central" fill="#2b3442">${l}</text>`,
    )
  }
  out.push(`<text x="${left + gridW / 2}" y="${top + gridH + 38}" font-size="13" text-anchor="middle" fill="#4a5566">Likelihood →</text>`)
  out.push(
    `<text transform="translate(22 ${top + gridH / 2}) rotate(-90)" font-size="13" text-anchor="middle" fill="#4a5566">Impact →</text>`,
  )
  let lx = left
  for (const band of ['critical', 'high', 'medium', 'low'] as const) {
    out.push(
      `<rect x="${lx}" y="${legendY}" width="18" height="18" rx="3" fill="url(#lr-band-${band})" stroke="${BAND_STYLE[band].ink}" stroke-width="1"/>`,
    )
    out.push(
      `<text x="${lx + 25}" y="${legendY + 9}" font-size="12" dominant-baseline="central" fill="#2b3442">${esc(BAND_STYLE[band].label)}</text>`,
    )
    lx += 140
  }
  out.push('</svg>')
  return out.join('\n')
}

const COLUMN_TITLES = ['Inputs', 'Agent', 'Tools', 'Code and CI/CD', 'Secrets, cloud, production']

export const GUARD_STYLE = {
  missing: {stroke: '#c62828', width: 2.6, dash: '7 5', label: 'uncontrolled: every guarding control is missing'},
  partial: {stroke: '#d98200', width: 2.2, dash: '2 4', label: 'partly guarded'},
  guarded: {stroke: '#66788a', width: 1.6, dash: '', label: 'guarded'},
} as const

/** The blast-radius graph: nodes in kind columns (graph-layout.ts), numbered edges styled by guard state. */
export function blastRadiusSvg(graph: GraphView): string {
  const layout = layoutGraph({nodes: graph.nodes, edges: graph.edges})
  const legendTop = layout.height + 4
  const width = Math.max(layout.width, 760)
  const height = legendTop + 50
  const uncontrolled = graph.edges.filter((e) => e.guard === 'missing').length
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="figure blast-radius" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="lr-br-title">`,
    `<title id="lr-br-title">Blast radius: ${graph.edges.length} ${graph.edges.length === 1 ? 'path' : 'paths'}, ${uncontrolled} uncontrolled</title>`,
    '<defs>',
    ...Object.entries(GUARD_STYLE).map(
      ([g, s]) =>
        `<marker id="lr-arrow-${g}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6.5" markerHeight="6.5" markerUnits="strokeWidth" orient="auto-start-reverse"><path d="M0,1 L10,5 L0,9 z" fill="${s.stroke}"/></marker>`,
    ),
    '</defs>',
  ]
  for (const c of layout.columns) {
    out.push(
      `<text x="${r1(c.x + c.w / 2)}" y="26" font-size="12" font-weight="700" letter-spacing="1" text-anchor="middle" fill="#5b6675">${esc((COLUMN_TITLES[c.kindColumn] ?? 'Other').toUpperCase())}</text>`,
    )
  }
  // Lines first (guarded under partial under uncontrolled), then badges, then nodes on top.
  const rank = {guarded: 0, partial: 1, missing: 2}
  const drawn = layout.edges
    .map((le) => ({le, e: graph.edges[le.index]}))
    .sort((a, b) => rank[a.e.guard] - rank[b.e.guard] || a.le.index - b.le.index)
  for (const {le, e} of drawn) {
    const s = GUARD_STYLE[e.guard]
    const marker = `${le.reversed ? 'marker-start' : 'marker-end'}="url(#lr-arrow-${e.guard})"`
    out.push(
      `<path d="${le.path}" fill="none" stroke="${s.stroke}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} ${marker}/>`,
    )
  }
  const taken: Point[] = []
  for (const le of layout.edges) {
    const e = graph.edges[le.index]
    const s = GUARD_STYLE[e.guard]
    const clear = ([x, y]: Point) =>
      taken.every(([tx, ty]) => Math.hypot(tx - x, ty - y) > 22) &&
      layout.nodes.every((n) => x < n.x - 9 || x > n.x + n.w + 9 || y < n.y - 9 || y > n.y + n.h + 9)
    const [bx, by] = le.badges.find(clear) ?? le.badges[0]
    taken.push([bx, by])
    const solid = e.guard === 'missing'
    out.push(
      `<circle cx="${r1(bx)}" cy="${r1(by)}" r="10" fill="${solid ? s.stroke : '#ffffff'}" stroke="${s.stroke}" stroke-width="1.6"/>`,
      `<text x="${r1(bx)}" y="${r1(by)}" font-size="11" font-weight="700" text-anchor="middle" dominant-baseline="central" fill="${solid ? '#ffffff' : '#1f2a36'}">${e.n}</text>`,
    )
  }
  const info = new Map(graph.nodes.map((n) => [n.id, n]))
  for (const b of layout.nodes) {
    const n = info.get(b.id)!
    const fill = n.isAgent ? '#1f2a44' : n.exposed ? '#fff4f3' : '#ffffff'
    const stroke = n.isAgent ? '#1f2a44' : n.exposed ? '#c62828' : '#8a96a8'
    out.push(
      `<rect x="${r1(b.x)}" y="${r1(b.y)}" width="${b.w}" height="${b.h}" rx="${n.isAgent ? b.h / 2 : 9}" fill="${fill}" stroke="${stroke}" stroke-width="${n.exposed && !n.isAgent ? 2.6 : 1.3}"/>`,
      n.sublabel
        ? textLines(
            [n.label],
            b.x + b.w / 2,
            b.y + b.h / 2 - 8,
            13,
            `font-weight="${n.isAgent ? 700 : 600}" fill="${n.isAgent ? '#ffffff' : '#1b2430'}"`,
          ) + textLines([ellipsis(n.sublabel, 23)], b.x + b.w / 2, b.y + b.h / 2 + 10, 11, `fill="${n.isAgent ? '#d6dcea' : '#4a5566'}"`)
        : textLines(
            wrap(n.label, 19),
            b.x + b.w / 2,
            b.y + b.h / 2,
            13,
            `font-weight="${n.isAgent ? 700 : 600}" fill="${n.isAgent ? '#ffffff' : '#1b2430'}"`,
          ),
    )
  }
  // Legend.
  let lx = 30
  const ly = legendTop + 8
  for (const [g, s] of Object.entries(GUARD_STYLE)) {
    out.push(
      `<path d="M${lx},${ly} L${lx + 36},${ly}" stroke="${s.stroke}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} marker-end="url(#lr-arrow-${g})"/>`,
      `<text x="${lx + 46}" y="${ly}" font-size="13" dominant-baseline="central" fill="#2b3442">${esc(s.label)}</text>`,
    )
    lx += 46 + s.label.length * 7 + 28
  }
  out.push(
    `<rect x="30" y="${ly + 18}" width="30" height="16" rx="4" fill="#fff4f3" stroke="#c62828" stroke-width="2.4"/>`,
    `<text x="76" y="${ly + 26}" font-size="13" dominant-baseline="central" fill="#2b3442">${esc('reached by an uncontrolled path · numbers refer to the table below')}</text>`,
    '</svg>',
  )
  return out.join('\n')
}
