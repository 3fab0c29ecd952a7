/**
 * Outputs that cannot be written, and writes that are raced or interrupted, through the binary:
 * a report under its final name is always whole (byte-identical to a reference run); only
 * `.leash-tmp-*` files may remain after SIGKILL, and the next run removes them.
 */
import {createReadStream, existsSync, lstatSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {DATE, EXAMPLE_FILES, LIMIT_MS, prng, run, start, STACK, tempDir, tree, type Timed} from './helpers.js'

const EXAMPLE = EXAMPLE_FILES.find((f) => f.endsWith('refactoring-agent.yaml'))!
const ONE = ['assess', EXAMPLE, ...DATE]
const MD = ['assess', EXAMPLE, '--format', 'md', ...DATE]
/** Several manifests in all four formats, so that a run writes for a while. */
const SEVERAL = EXAMPLE_FILES.slice(0, 4)
const ALL = ['assess', ...SEVERAL, '--format', 'md,html,json,sarif']
const TMP = /(^|\/)\.leash-tmp-/

function refused(r: Timed, message: string): void {
  expect(r.signal, 'killed by the timeout: a hang').toBeNull()
  expect(r.code, r.stdout + r.stderr).toBe(2)
  expect(r.stderr).toContain(message)
  expect(r.stdout + r.stderr).not.toMatch(STACK)
  expect(r.ms).toBeLessThan(LIMIT_MS)
}

describe('--out-dir and --out that cannot be written', () => {
  it('creates missing parents of --out-dir', () => {
    const dir = tempDir('out')
    const r = run([...ONE, '--out-dir', 'a/b/c/d'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect([...tree(join(dir, 'a/b/c/d')).keys()]).toEqual(['report.html', 'report.md'])
  })

  it('refuses an --out-dir that is a file (exit 2)', () => {
    const dir = tempDir('out')
    writeFileSync(join(dir, 'file'), 'x')
    refused(run([...ONE, '--out-dir', 'file'], {cwd: dir}), 'error file cannot write: exists and is not a folder')
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('x')
  })

  it('refuses an --out-dir under /proc quickly (exit 2; Node alone would retry mkdir forever)', () => {
    refused(run([...ONE, '--out-dir', `/proc/leash-${process.pid}/reports`]), 'cannot write: cannot create a folder there')
  })

  it('refuses an --out-dir under a symbolic link to nothing (exit 2)', () => {
    const dir = tempDir('out')
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling'))
    refused(run([...ONE, '--out-dir', 'dangling/reports'], {cwd: dir}), 'dangling/reports cannot write: cannot create a folder there')
  })

  it('refuses --out under a file (exit 2, no stack trace; was an internal error)', () => {
    const dir = tempDir('out')
    writeFileSync(join(dir, 'file'), 'x')
    refused(run([...MD, '--out', 'file/report.md'], {cwd: dir}), 'file/report.md cannot write: a part of the path is a file, not a folder')
  })

  it('refuses --out in a folder that does not exist (exit 2), naming it and no temporary file', () => {
    const dir = tempDir('out')
    const r = run([...MD, '--out', 'missing/report.md'], {cwd: dir})
    refused(r, 'error missing/report.md cannot write: the folder does not exist')
    expect(r.stderr).not.toContain('.leash-tmp-')
  })

  it('reports a full disk (--out /dev/full, through a link and directly) with exit 2, and leaves the device alone', () => {
    const dir = tempDir('out')
    // First through a link in a temporary folder: if leash ever replaced the target again, only the link would go.
    symlinkSync('/dev/full', join(dir, 'full'))
    refused(run([...MD, '--out', 'full'], {cwd: dir}), 'full cannot write: no space left on the device')
    expect(lstatSync(join(dir, 'full')).isSymbolicLink()).toBe(true)
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true)
    refused(run([...MD, '--out', '/dev/full']), '/dev/full cannot write: no space left on the device')
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true)
  })

  it('writes into a FIFO given as --out instead of replacing it', async () => {
    const dir = tempDir('out')
    expect(run(['--version']).code).toBe(0)
    const fifo = join(dir, 'pipe')
    const {spawnSync} = await import('node:child_process')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const reference = run([...MD, '--out', '-']).stdout
    const {done} = start([...MD, '--out', fifo])
    let received = ''
    for await (const chunk of createReadStream(fifo, {encoding: 'utf8'})) received += chunk
    expect((await done).code).toBe(0)
    expect(received).toBe(reference)
    expect(lstatSync(fifo).isFIFO()).toBe(true)
  })

  it('writes through a symbolic link given as --out, keeping the link', () => {
    const dir = tempDir('out')
    writeFileSync(join(dir, 'real.md'), 'old')
    symlinkSync('real.md', join(dir, 'link.md'))
    expect(run([...MD, '--out', 'link.md'], {cwd: dir}).code).toBe(0)
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dir, 'real.md'), 'utf8')).toBe(run([...MD, '--out', '-']).stdout)
  })
})

/** Reference outputs of single runs, one per --date, to compare raced and interrupted runs with. */
const references = new Map<string, Map<string, Buffer>>()
function reference(date: string): Map<string, Buffer> {
  let ref = references.get(date)
  if (!ref) {
    const dir = join(tempDir('ref'), 'out')
    const r = run([...ALL, '--date', date, '--out-dir', dir])
    expect(r.code, r.stderr).toBe(0)
    ref = tree(dir)
    expect(ref.size).toBe(SEVERAL.length * 4 + 2)
    references.set(date, ref)
  }
  return ref
}

/** Every file under its final name equals the same file of one of the references. */
function expectWhole(dir: string, refs: Map<string, Buffer>[]): {final: number; temporary: number} {
  let final = 0
  let temporary = 0
  for (const [name, bytes] of tree(dir)) {
    if (TMP.test(name)) {
      temporary++
      continue
    }
    final++
    expect(
      refs.some((ref) => ref.get(name)?.equals(bytes)),
      `${name} (${bytes.length} bytes) is not whole: it matches no single run`,
    ).toBe(true)
  }
  return {final, temporary}
}

describe('two runs writing the same --out-dir at once', () => {
  const ROUNDS = 3
  it(`leave every file whole, from one run or the other (${ROUNDS} rounds, ${SEVERAL.length} manifests x 4 formats)`, async () => {
    const refs = [reference('2026-11-27'), reference('2026-11-28')]
    const dir = join(tempDir('race'), 'out')
    for (let round = 0; round < ROUNDS; round++) {
      rmSync(dir, {recursive: true, force: true})
      const [a, b] = await Promise.all([
        start([...ALL, '--date', '2026-11-27', '--out-dir', dir]).done,
        start([...ALL, '--date', '2026-11-28', '--out-dir', dir]).done,
      ])
      expect(a.code, a.stderr).toBe(0)
      expect(b.code, b.stderr).toBe(0)
      const {final, temporary} = expectWhole(dir, refs)
      expect(final).toBe(refs[0].size)
      expect(temporary).toBe(0)
    }
  })
})

describe('interrupted while writing reports', () => {
  const KILLS = 12
  /** How long a run takes to write its reports once its --out-dir appears, and how long it takes in all. */
  let writing = 0
  let whole = 0

  /** Start a run; `onWrite` is called as soon as its --out-dir exists. */
  function watched(dir: string, onWrite: () => void): ReturnType<typeof start> {
    const run = start([...ALL, ...DATE, '--out-dir', dir])
    const poll = setInterval(() => {
      if (existsSync(dir)) {
        clearInterval(poll)
        onWrite()
      }
    }, 1)
    run.done.finally(() => clearInterval(poll))
    return run
  }

  beforeAll(async () => {
    const ref = reference('2026-11-27')
    // The writing span: from the --out-dir appearing to the last report under its final name.
    const dir = join(tempDir('timing'), 'out')
    const begin = performance.now()
    let appeared = 0
    let last = 0
    const {done} = watched(dir, () => (appeared = performance.now()))
    const poll = setInterval(() => {
      if (appeared && !last && [...tree(dir).keys()].filter((n) => !TMP.test(n)).length === ref.size) last = performance.now()
    }, 1)
    const r = await done
    clearInterval(poll)
    expect(r.code).toBe(0)
    whole = performance.now() - begin
    writing = Math.max(5, (last || performance.now()) - (appeared || begin))
  })

  it(`SIGINT and SIGKILL at ${KILLS} seeded random moments: final names always whole, only .leash-tmp-* left, the next run removes them`, async () => {
    const ref = reference('2026-11-27')
    const random = prng(20261127)
    const outcomes: string[] = []
    let partial = 0
    let leftovers = 0
    for (let i = 0; i < KILLS; i++) {
      const signal: NodeJS.Signals = i % 2 === 0 ? 'SIGINT' : 'SIGKILL'
      const dir = join(tempDir('kill'), 'out')
      // a quarter of the moments anywhere in the run, the rest once it has started writing
      const anywhere = i % 4 === 0
      const delay = random() * (anywhere ? whole : writing)
      let timer: NodeJS.Timeout | undefined
      const {child, done} = anywhere
        ? start([...ALL, ...DATE, '--out-dir', dir])
        : watched(dir, () => (timer = setTimeout(() => child.kill(signal), delay)))
      if (anywhere) timer = setTimeout(() => child.kill(signal), delay)
      const r = await done
      clearTimeout(timer)
      const {final, temporary} = expectWhole(dir, [ref])
      if (final > 0 && final < ref.size) partial++
      const what = `${signal} ${Math.round(delay)} ms ${anywhere ? 'after the start' : 'into writing'}: exit ${r.signal ?? r.code}, ${final} of ${ref.size} reports whole, ${temporary} .leash-tmp-*`
      outcomes.push(what)
      if (signal === 'SIGINT') {
        // the handler removes its temporary files; killed before it was installed, there were none
        expect(temporary, what).toBe(0)
        expect([0, 130].includes(r.code) || r.signal === 'SIGINT', what).toBe(true)
        // a signal that lands after the last rename may find nothing left to interrupt
        if (r.code === 0) expect(final, what).toBe(ref.size)
        expect(r.stderr, what).not.toMatch(STACK)
      } else {
        leftovers += temporary
        const next = run([...ALL, ...DATE, '--out-dir', dir])
        expect(next.code).toBe(0)
        const after = expectWhole(dir, [ref])
        expect(after.final).toBe(ref.size)
        expect(after.temporary, `the next run removes what SIGKILL left (${what})`).toBe(0)
      }
    }
    process.stdout.write(
      `writing takes ${Math.round(writing)} of ${Math.round(whole)} ms\n${outcomes.join('\n')}\n${partial} kills left a partial set of whole reports; ${leftovers} .leash-tmp-* files left by SIGKILL, all removed by the next run\n`,
    )
  })
})
