/** Loading everything an assessment needs and running it: the I/O around core/engine.ts. */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Catalog} from '../core/catalog.js'
import {assess, type AssessmentResult} from '../core/engine.js'
import type {Waiver} from '../core/waivers.js'
import {loadCatalogWith} from './catalog.js'
import {loadManifestFile, type ManifestFile} from './load.js'
import {loadWaivers} from './waivers.js'

let version: string | undefined
/** leash's own version, from its package.json. */
export function toolVersion(root: string): string {
  version ??= (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string}).version
  return version
}

/** Today's date in UTC, YYYY-MM-DD: the one place the clock is read for assessments. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10)
}

export interface AssessContext {
  root: string
  catalog: Catalog
  waivers: Waiver[]
  today: string
}

export async function assessContext(options: {
  root: string
  catalogDirs?: string[]
  /** A waivers file, the default one when absent, or none at all with `false` (detect waives nothing). */
  waivers?: string | false
  today?: string
}): Promise<AssessContext> {
  return {
    root: options.root,
    catalog: await loadCatalogWith(options.root, options.catalogDirs ?? []),
    waivers: options.waivers === false ? [] : loadWaivers(options.waivers),
    today: options.today ?? todayUtc(),
  }
}

export function assessManifest(loaded: ManifestFile, context: AssessContext, scope: 'full' | 'gate' = 'full'): AssessmentResult {
  return assess({
    scope,
    manifest: loaded.manifest,
    locate: loaded.doc.locate,
    file: loaded.file,
    sha256: loaded.sha256,
    catalog: context.catalog,
    today: context.today,
    toolVersion: toolVersion(context.root),
    waivers: context.waivers,
  })
}

/** One manifest file, assessed with the built-in catalog and the default waivers file. */
export async function runAssessment(options: {root: string; file: string; today?: string; waivers?: string}): Promise<AssessmentResult> {
  return assessManifest(loadManifestFile(options.file), await assessContext(options))
}
