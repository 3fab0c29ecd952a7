import {describe, expect, it} from 'vitest'
import {renderJson} from '../../../src/core/render/json.js'
import {result as validateResult} from '../../../src/generated/validators.cjs'
import {EXAMPLES, example, injection} from './setup.js'

describe('report.json', () => {
  it.each([...EXAMPLES, 'injection fixture'])('%s is valid against schemas/result.schema.json', (name) => {
    const r = name === 'injection fixture' ? injection() : example(name)
    const ok = validateResult(JSON.parse(renderJson(r)))
    expect(validateResult.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })
})
