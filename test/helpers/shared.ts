/** ../shared is where the reference data lives; CI always has it, a plain clone may not. */
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const SHARED = resolve(ROOT, '../shared')
export const HAS_SHARED = existsSync(join(SHARED, 'spec', 'agent-manifest.example.yaml'))
export const REFERENCE_MANIFEST = join(SHARED, 'spec', 'agent-manifest.example.yaml')
export const REFERENCE_WAIVERS = join(SHARED, 'spec', 'waivers.example.yaml')
/** Appended to the names of tests that need ../shared, so a skip says why. */
export const NEEDS_SHARED = HAS_SHARED ? '' : ' (skipped: ../shared is absent)'
