#!/usr/bin/env node
// Whole-process timings of leash against `node -e ''` in the same run: medians of many runs
// after a warm-up, each sample paired with a sample of the floor taken just before it. Prints a
// table of medians and ratios; `--json` prints the figures. Usage: npm run bench [-- --runs 21]
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {cpus, tmpdir, totalmem} from 'node:os'
import {join, dirname} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'run.js')
const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1]) || 15
const json = args.includes('--json')

// Inputs: one manifest, a repository with a dozen agent files, 1,000 manifests.
const work = mkdtempSync(join(tmpdir(), 'leash-bench-'))
const one = join(root, 'examples', 'refactoring-agent.yaml')
const batch = join(work, 'batch')
cpSync(join(root, 'examples'), batch, {recursive: true})
const sources = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml') && !f.includes('low-risk'))
for (let i = 0; i < 1000 - sources.length; i++) {
  const src = sources[i % sources.length]
  const text = readFileSync(join(root, 'examples', src), 'utf8').replace(/^(  name: )([a-z0-9-]+)/m, `$1$2-${i}`)
  writeFileSync(join(batch, `m${String(i).padStart(4, '0')}.yaml`), text)
}
const batchFiles = readdirSync(batch)
  .filter((f) => f.endsWith('.yaml') && !f.includes('low-risk'))
  .map((f) => join(batch, f))
const repo = join(root, 'test', 'fixtures', 'bench-repository')

const cases = [
  {name: "node -e ''", cmd: [process.execPath, '-e', '']},
  {name: 'leash --version', cmd: [process.execPath, bin, '--version']},
  {name: 'leash validate (one manifest)', cmd: [process.execPath, bin, 'validate', one, '--date', '2026-11-27']},
  {
    name: 'leash assess (md+html+json+sarif)',
    cmd: [process.execPath, bin, 'assess', one, '--format', 'md,html,json,sarif', '--out-dir', join(work, 'out'), '--date', '2026-11-27'],
  },
  ...(existsSync(repo) ? [{name: 'leash detect (a dozen agent files)', cmd: [process.execPath, bin, 'detect', repo, '--json']}] : []),
  {
    name: `leash validate (${batchFiles.length} manifests)`,
    cmd: [process.execPath, bin, 'validate', ...batchFiles, '--date', '2026-11-27'],
    runs: Math.max(5, Math.ceil(runs / 3)),
  },
]

const hasTime = existsSync('/usr/bin/time')
function once(cmd) {
  const full = hasTime ? ['/usr/bin/time', '-f', '%M', ...cmd] : cmd
  const start = process.hrtime.bigint()
  const r = spawnSync(full[0], full.slice(1), {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, maxBuffer: 64 * 1024 * 1024})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`)
  const kib = hasTime ? Number(r.stderr.trim().split('\n').pop()) : NaN
  return {ms, mib: kib / 1024}
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

for (const c of cases) once(c.cmd) // warm-up: file cache, JIT caches
// Every sample of a case runs right after a sample of the floor; the ratio is the median of the
// ratios of these pairs, so that machine noise that comes and goes moves both sides alike. The
// order of the cases turns from round to round, so that no case always follows the heaviest one.
const FLOOR = cases[0]
const samples = new Map(cases.map((c) => [c.name, {ms: [], mib: [], floorMs: []}]))
const rounds = Math.max(...cases.map((c) => c.runs ?? runs))
const measured = cases.slice(1)
for (let i = 0; i < rounds; i++) {
  for (let k = 0; k < measured.length; k++) {
    const c = measured[(i + k) % measured.length]
    if (i >= (c.runs ?? runs)) continue
    const f = once(FLOOR.cmd)
    const r = once(c.cmd)
    const s = samples.get(c.name)
    s.ms.push(r.ms)
    s.mib.push(r.mib)
    s.floorMs.push(f.ms)
    samples.get(FLOOR.name).ms.push(f.ms)
    samples.get(FLOOR.name).mib.push(f.mib)
  }
}

const floorMem = median(samples.get(FLOOR.name).mib)
const rows = cases.map((c) => {
  const s = samples.get(c.name)
  const ratio = c === FLOOR ? 1 : median(s.ms.map((ms, i) => ms / s.floorMs[i]))
  return {
    case: c.name,
    runs: s.ms.length,
    medianMs: Math.round(median(s.ms) * 10) / 10,
    ratio: Math.round(ratio * 100) / 100,
    peakMiB: Math.round(Math.max(...s.mib) * 10) / 10,
  }
})
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  floorMiB: Math.round(floorMem * 10) / 10,
}
if (json) console.log(JSON.stringify({machine, rows}, null, 2))
else {
  console.log(`machine: ${machine.cpu}, ${machine.cpus} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`)
  console.log(`${'case'.padEnd(40)} ${'runs'.padStart(4)} ${'median ms'.padStart(10)} ${'× node'.padStart(7)} ${'peak MiB'.padStart(9)}`)
  for (const r of rows)
    console.log(
      `${r.case.padEnd(40)} ${String(r.runs).padStart(4)} ${r.medianMs.toFixed(1).padStart(10)} ${r.ratio.toFixed(2).padStart(7)} ${Number.isNaN(r.peakMiB) ? '    n/a' : r.peakMiB.toFixed(1).padStart(9)}`,
    )
}
