import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'
import {describe, expect, it} from 'vitest'
import {diffManifests, patternContains, unorderedFields} from '../../src/core/diff.js'
import {ROOT} from '../helpers/shared.js'

const example = (name: string) => parse(readFileSync(join(ROOT, 'examples', `${name}.yaml`), 'utf8'))

describe('privilege order', () => {
  it('every enum, boolean, number, duration and list of the schema has a risk order or is marked unordered', () => {
    expect(unorderedFields()).toEqual([])
  })

  it('reads allowlists by pattern containment', () => {
    expect(patternContains('Bash(npm run:*)', 'npm run test')).toBe(true)
    expect(patternContains('npm run:*', 'Bash(npm run lint)')).toBe(true)
    expect(patternContains('npm test', 'Bash(npm run:*)')).toBe(false)
    expect(patternContains('git diff', 'git diff')).toBe(true)
    expect(patternContains('git diff', 'git diff --stat')).toBe(false)
    expect(patternContains('Bash(*)', 'rm -rf /')).toBe(true)
    expect(patternContains('npm run:*', 'npm runner')).toBe(false)
  })
})

describe('diffManifests', () => {
  it('finds nothing between a manifest and itself', () => {
    const m = example('refactoring-agent')
    expect(diffManifests(m, m)).toEqual([])
  })

  it('lists every widened field from the mature deployment to the anti-pattern', () => {
    const changes = diffManifests(example('mature-deployment'), example('low-risk-assistant'))
    const widened = new Set(changes.filter((c) => c.direction === 'widened').map((c) => c.path))
    for (const path of [
      'agent.autonomy',
      'agent.triggerActors',
      'agent.untrustedInputs',
      'identity.type',
      'identity.dedicated',
      'identity.humanUse',
      'access.repositories.scope',
      'access.repositories.permission',
      'access.repositories.canMerge',
      'access.cicd.deploy',
      'access.cloud.access',
      'secrets.readable',
      'secrets.envFilesBlocked',
      'tools.shell',
      'tools.network',
      'tools.fileSystem',
      'sandbox.type',
      'sandbox.runsAsRoot',
      'oversight.killSwitch',
      'oversight.requiredReviewers',
      'observability.traceLogging',
      'delivery.rollback.path',
    ]) {
      expect(widened, path).toContain(path)
    }
    // the other way round, each of them narrows
    const back = diffManifests(example('low-risk-assistant'), example('mature-deployment'))
    expect(back.filter((c) => c.direction === 'widened').map((c) => c.path)).not.toContain('tools.shell')
    expect(back.find((c) => c.path === 'tools.shell')?.direction).toBe('narrowed')
  })

  it('compares an allowlist only while both sides use it', () => {
    const before = {tools: {shell: 'allowlist', shellAllowlist: ['npm test']}}
    expect(diffManifests(before, {tools: {shell: 'none'}})).toEqual([
      {path: 'tools.shell', old: 'allowlist', new: 'none', direction: 'narrowed'},
    ])
  })

  it('treats an undeclared field as the riskiest value', () => {
    const declared = {tools: {shell: 'unrestricted'}}
    expect(diffManifests({tools: {}}, declared)).toEqual([{path: 'tools.shell', old: null, new: 'unrestricted', direction: 'narrowed'}])
    expect(diffManifests(declared, {tools: {}})[0]).toMatchObject({path: 'tools.shell', direction: 'widened'})
  })

  it('compares credentials by name and durations by length', () => {
    const before = {identity: {credentials: [{name: 'a', kind: 'short-lived-token', ttl: 'PT1H'}]}}
    const after = {
      identity: {
        credentials: [
          {name: 'b', kind: 'static-api-key'},
          {name: 'a', kind: 'short-lived-token', ttl: 'P1D'},
        ],
      },
    }
    expect(diffManifests(before, after)).toEqual([
      {path: 'identity.credentials[0]', old: null, new: after.identity.credentials[0], direction: 'widened', item: 'b'},
      {path: 'identity.credentials[1].ttl', old: 'PT1H', new: 'P1D', direction: 'widened'},
    ])
  })

  it('reads shell allowlists by containment and MCP servers by name', () => {
    const before = {tools: {shell: 'allowlist', shellAllowlist: ['npm run:*'], mcpServers: [{name: 'x', pinned: true}]}}
    const after = {tools: {shell: 'allowlist', shellAllowlist: ['npm run lint', 'curl'], mcpServers: [{name: 'x', pinned: false}]}}
    const changes = diffManifests(before, after)
    expect(changes.filter((c) => c.direction === 'widened').map((c) => [c.path, c.item])).toEqual([
      ['tools.shellAllowlist', 'curl'],
      ['tools.mcpServers[0].pinned', undefined],
    ])
  })
})
