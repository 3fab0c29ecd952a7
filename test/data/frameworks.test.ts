/**
 * The framework files (frameworks/<id>.json): valid, complete, consistent with the threat and
 * control catalogs, and, where ../shared is present, exact against the reference ids and names.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import YAML from 'yaml'
import {checkFrameworks, FRAMEWORK_FILES, runChecks, slugify} from '../../scripts/check-frameworks.mjs'
import {framework as validateFramework} from '../../src/generated/validators.cjs'
import {HAS_SHARED, NEEDS_SHARED, ROOT, SHARED} from '../helpers/shared.js'

interface Item {
  id: string
  name: string
  parent?: string
  kind?: string
  threats: string[]
  controls: string[]
  outOfScope?: string
}
interface FrameworkFile {
  id: string
  name: string
  version: string
  items: Item[]
  crosswalkExceptions?: {from: string; to: string; reason: string}[]
}
interface ThreatEntry {
  id: string
  layers: string[]
  controls: {id: string}[]
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T
const files: FrameworkFile[] = FRAMEWORK_FILES.map((id: string) => readJson<FrameworkFile>(join(ROOT, 'frameworks', `${id}.json`)))
const byId = new Map(files.map((f) => [f.id, f]))
const fw = (id: string): FrameworkFile => byId.get(id)!
const item = (framework: string, id: string): Item => {
  const found = fw(framework).items.find((i) => i.id === id)
  if (!found) throw new Error(`${framework} has no item ${id}`)
  return found
}
const threats = readJson<{threats: ThreatEntry[]}>(join(ROOT, 'frameworks/threats.json')).threats
const controls = readJson<{controls: {id: string}[]}>(join(ROOT, 'frameworks/controls.json')).controls
const threatIds = new Set(threats.map((t) => t.id))
const controlIds = new Set(controls.map((c) => c.id))

/** Reference data, read only when ../shared exists. */
interface ReferenceFramework {
  items?: {id: string; name: string}[]
  risks?: {n: number; name: string}[]
}
const reference: Record<string, ReferenceFramework> = HAS_SHARED
  ? readJson<{frameworks: Record<string, ReferenceFramework>}>(join(SHARED, 'reference/frameworks/framework-ids.json')).frameworks
  : {}
interface AtlasEntry {
  id: string
  name: string
  'subtechnique-of'?: string
}
const atlasYaml: Map<string, AtlasEntry> = new Map()
if (HAS_SHARED) {
  const doc = YAML.parse(readFileSync(join(SHARED, 'reference/atlas/ATLAS.yaml'), 'utf8')) as {
    matrices: {tactics: AtlasEntry[]; techniques: AtlasEntry[]; mitigations: AtlasEntry[]}[]
  }
  const m = doc.matrices[0]
  for (const e of [...m.tactics, ...m.techniques, ...m.mitigations]) atlasYaml.set(e.id, e)
}

describe('the framework files against the reference data', () => {
  it(`pass scripts/check-frameworks.mjs with no problem${NEEDS_SHARED}`, {skip: !HAS_SHARED}, () => {
    expect(checkFrameworks(ROOT, SHARED)).toEqual([])
  })

  it(
    `raise no warning either (every control on an item bears on it, every catalog control is listed)${NEEDS_SHARED}`,
    {skip: !HAS_SHARED},
    () => {
      expect(runChecks(ROOT, SHARED).warnings).toEqual([])
    },
  )

  it(`name every ATLAS item exactly as ATLAS.yaml does${NEEDS_SHARED}`, {skip: !HAS_SHARED}, () => {
    const wrong = fw('atlas')
      .items.filter((i) => atlasYaml.get(i.id)?.name !== i.name)
      .map((i) => `${i.id} "${i.name}" (ATLAS: ${JSON.stringify(atlasYaml.get(i.id)?.name)})`)
    expect(wrong).toEqual([])
  })

  it(
    `carry AML.T0051 LLM Prompt Injection with its Direct and Indirect sub-techniques as in ATLAS.yaml${NEEDS_SHARED}`,
    {skip: !HAS_SHARED},
    () => {
      expect(atlasYaml.get('AML.T0051')?.name).toBe('LLM Prompt Injection')
      expect(atlasYaml.get('AML.T0051.000')).toMatchObject({name: 'Direct', 'subtechnique-of': 'AML.T0051'})
      expect(atlasYaml.get('AML.T0051.001')).toMatchObject({name: 'Indirect', 'subtechnique-of': 'AML.T0051'})
      for (const id of ['AML.T0051', 'AML.T0051.000', 'AML.T0051.001']) expect(item('atlas', id).name).toBe(atlasYaml.get(id)?.name)
    },
  )

  it(`name the OWASP items exactly as the reference does${NEEDS_SHARED}`, {skip: !HAS_SHARED}, () => {
    const pairs: [string, string][] = [
      ['owasp-nhi', 'owasp-nhi-top10-2025'],
      ['owasp-agentic', 'owasp-agentic-top10-2026'],
      ['owasp-llm', 'owasp-llm-top10-2025'],
    ]
    for (const [ours, ref] of pairs) {
      expect(fw(ours).items.map((i) => [i.id, i.name])).toEqual(reference[ref].items!.map((i) => [i.id, i.name]))
    }
    expect(item('owasp-agentic', 'ASI01').name).toBe(reference['owasp-agentic-top10-2026'].items!.find((i) => i.id === 'ASI01')!.name)
    expect(item('owasp-nhi', 'NHI7:2025').name).toBe(reference['owasp-nhi-top10-2025'].items!.find((i) => i.id === 'NHI7:2025')!.name)
  })

  it(`list the Generative AI Profile risks with the reference's names, in its order${NEEDS_SHARED}`, {skip: !HAS_SHARED}, () => {
    const ours = fw('nist-ai-rmf')
      .items.filter((i) => i.id.startsWith('GAI-'))
      .map((i) => [i.id, i.name])
    expect(ours).toEqual(reference['nist-ai-600-1'].risks!.map((r) => [`GAI-${r.n}`, r.name]))
  })
})

describe('the framework files on their own', () => {
  it('are the six expected files, each with the id of its file name', () => {
    expect(files.map((f) => f.id)).toEqual(['owasp-nhi', 'owasp-agentic', 'maestro', 'atlas', 'nist-ai-rmf', 'owasp-llm'])
  })

  it.each(FRAMEWORK_FILES as string[])('frameworks/%s.json validates against schemas/framework.schema.json', (id) => {
    const ok = validateFramework(fw(id))
    expect(validateFramework.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('give every item at least one threat, or a reason why it is out of scope (never both)', () => {
    const bad: string[] = []
    for (const f of files) {
      for (const i of f.items) {
        const hasThreats = i.threats.length > 0
        const hasReason = typeof i.outOfScope === 'string' && i.outOfScope.trim().length > 0
        if (hasThreats === hasReason) bad.push(`${f.id} ${i.id}`)
        if (!hasThreats && i.controls.length > 0) bad.push(`${f.id} ${i.id} lists controls but no threat`)
      }
    }
    expect(bad).toEqual([])
  })

  it('map every catalog threat from owasp-agentic and from at least one other framework', () => {
    const mappedBy = new Map<string, Set<string>>()
    for (const f of files) for (const i of f.items) for (const t of i.threats) mappedBy.set(t, (mappedBy.get(t) ?? new Set()).add(f.id))
    const problems: string[] = []
    for (const t of threatIds) {
      const by = mappedBy.get(t) ?? new Set<string>()
      if (!by.has('owasp-agentic')) problems.push(`${t}: not from owasp-agentic`)
      if ([...by].filter((f) => f !== 'owasp-agentic').length === 0) problems.push(`${t}: from no other framework`)
    }
    expect(problems).toEqual([])
  })

  it('refer to no unknown threat or control id', () => {
    const unknown: string[] = []
    for (const f of files) {
      for (const i of f.items) {
        for (const t of i.threats) if (!threatIds.has(t)) unknown.push(`${f.id} ${i.id}: ${t}`)
        for (const c of i.controls) if (!controlIds.has(c)) unknown.push(`${f.id} ${i.id}: ${c}`)
      }
    }
    expect(unknown).toEqual([])
  })

  it('list on an item only controls that mitigate one of its threats (per threats.json)', () => {
    const mitigates = new Map<string, Set<string>>()
    for (const t of threats) for (const m of t.controls) mitigates.set(m.id, (mitigates.get(m.id) ?? new Set()).add(t.id))
    const stray: string[] = []
    for (const f of files) {
      for (const i of f.items) {
        for (const c of i.controls) if (!i.threats.some((t) => mitigates.get(c)?.has(t))) stray.push(`${f.id} ${i.id}: ${c}`)
      }
    }
    expect(stray).toEqual([])
  })

  it('list every control of controls.json on at least one framework item', () => {
    const used = new Set(files.flatMap((f) => f.items.flatMap((i) => i.controls)))
    expect([...controlIds].filter((c) => !used.has(c))).toEqual([])
  })

  it('map the cloud, tool-credential and deployment-approval controls where they belong', () => {
    expect(item('owasp-nhi', 'NHI5:2025').controls).toContain('CTL-LEAST-PRIVILEGE-CLOUD')
    expect(item('owasp-agentic', 'ASI02').controls).toContain('CTL-LEAST-PRIVILEGE-CLOUD')
    expect(item('owasp-agentic', 'ASI03').controls).toContain('CTL-LEAST-PRIVILEGE-CLOUD')
    expect(item('owasp-llm', 'LLM06:2025').controls).toContain('CTL-LEAST-PRIVILEGE-CLOUD')
    expect(item('atlas', 'AML.M0026').controls).toContain('CTL-LEAST-PRIVILEGE-CLOUD')
    expect(item('owasp-nhi', 'NHI3:2025').controls).toContain('CTL-SCOPED-TOOL-CREDENTIALS')
    expect(item('owasp-agentic', 'ASI04').controls).toContain('CTL-SCOPED-TOOL-CREDENTIALS')
    expect(item('atlas', 'AML.M0028').controls).toContain('CTL-SCOPED-TOOL-CREDENTIALS')
    expect(item('maestro', 'L7:integration-risks').controls).toContain('CTL-SCOPED-TOOL-CREDENTIALS')
    expect(item('owasp-agentic', 'ASI08').controls).toContain('CTL-HUMAN-DEPLOY-APPROVAL')
    expect(item('owasp-nhi', 'NHI8:2025').controls).toContain('CTL-HUMAN-DEPLOY-APPROVAL')
    expect(item('atlas', 'AML.M0029').controls).toContain('CTL-HUMAN-DEPLOY-APPROVAL')
  })

  it('map each threat under MAESTRO at least once in one of the layers threats.json gives it', () => {
    const maestro = fw('maestro')
    const layerOf = (i: Item) => i.parent ?? i.id
    const missing = threats
      .filter((t) => !maestro.items.some((i) => i.threats.includes(t.id) && t.layers.includes(layerOf(i))))
      .map((t) => `${t.id} (layers ${t.layers.join(', ')})`)
    expect(missing).toEqual([])
    expect(item('maestro', 'L4').threats).toContain('THR-NO-ROLLBACK')
  })
})

describe('precise ids and names', () => {
  it('keep AML.T0051 "LLM Prompt Injection" with sub-techniques AML.T0051.000 "Direct" and AML.T0051.001 "Indirect"', () => {
    expect(item('atlas', 'AML.T0051')).toMatchObject({name: 'LLM Prompt Injection', kind: 'technique'})
    expect(item('atlas', 'AML.T0051.000')).toMatchObject({name: 'Direct', kind: 'sub-technique', parent: 'AML.T0051'})
    expect(item('atlas', 'AML.T0051.001')).toMatchObject({name: 'Indirect', kind: 'sub-technique', parent: 'AML.T0051'})
  })

  it('give every ATLAS sub-technique the id of its parent plus a three-digit suffix', () => {
    for (const i of fw('atlas').items.filter((x) => x.kind === 'sub-technique')) {
      expect(i.parent).toBeDefined()
      expect(i.id).toMatch(new RegExp(`^${i.parent!.replace(/\./g, '\\.')}\\.\\d{3}$`))
    }
  })

  it('name NHI7:2025 "Long-Lived Secrets" and ASI01 "Agent Goal Hijack", with ids as OWASP writes them', () => {
    expect(item('owasp-nhi', 'NHI7:2025').name).toBe('Long-Lived Secrets')
    expect(item('owasp-agentic', 'ASI01').name).toBe('Agent Goal Hijack')
    expect(fw('owasp-nhi').items.map((i) => i.id)).toEqual(Array.from({length: 10}, (_, n) => `NHI${n + 1}:2025`))
    expect(fw('owasp-agentic').items.map((i) => i.id)).toEqual(Array.from({length: 10}, (_, n) => `ASI${String(n + 1).padStart(2, '0')}`))
    expect(fw('owasp-llm').items.map((i) => i.id)).toEqual(Array.from({length: 10}, (_, n) => `LLM${String(n + 1).padStart(2, '0')}:2025`))
  })

  it('list the Generative AI Profile risks GAI-1..GAI-12 in order', () => {
    const gai = fw('nist-ai-rmf')
      .items.filter((i) => i.id.startsWith('GAI-'))
      .map((i) => i.id)
    expect(gai).toEqual(Array.from({length: 12}, (_, n) => `GAI-${n + 1}`))
    expect(item('nist-ai-rmf', 'GAI-2').name).toBe('Confabulation')
    expect(item('nist-ai-rmf', 'GAI-12').name).toBe('Value Chain and Component Integration')
  })

  it('write NIST subcategory ids as the AI RMF does ("GOVERN 1.1")', () => {
    for (const i of fw('nist-ai-rmf').items.filter((x) => !x.id.startsWith('GAI-'))) {
      expect(i.id).toMatch(/^(GOVERN|MAP|MEASURE|MANAGE)( \d+(\.\d+)?)?$/)
    }
  })

  it('give MAESTRO layers L1..L7 and CL, and each MAESTRO threat the id <layer>:<slug of its name>', () => {
    const maestro = fw('maestro')
    const layers = maestro.items.filter((i) => i.parent === undefined).map((i) => i.id)
    expect(layers).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'CL'])
    for (const i of maestro.items.filter((x) => x.parent !== undefined)) {
      expect(layers).toContain(i.parent)
      expect(i.id).toBe(`${i.parent}:${slugify(i.name)}`)
    }
    expect(item('maestro', 'L7:agent-impersonation').name).toBe('Agent Impersonation')
    expect(item('maestro', 'CL:lateral-movement').name).toBe('Lateral Movement')
    expect(item('maestro', 'L4:infrastructure-as-code-iac-manipulation').name).toBe('Infrastructure-as-Code (IaC) Manipulation')
  })
})
