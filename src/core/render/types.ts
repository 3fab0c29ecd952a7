/** Renderers are pure functions from results to text; writing is the command's job. */
import type {Catalog} from '../catalog.js'
import type {AssessmentResult} from '../engine.js'

export const FORMATS = ['md', 'html', 'json', 'sarif'] as const
export type Format = (typeof FORMATS)[number]

export interface RenderContext {
  catalog: Catalog
  /** Framework ids to show in coverage tables and mappings (all loaded ones when absent). */
  frameworks?: string[]
}

export type Renderer = (result: AssessmentResult, context: RenderContext) => string | Promise<string>
