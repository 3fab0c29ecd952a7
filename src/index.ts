/** Library entry: the pure core, for programmatic use. */
export * from './core/errors.js'
export * from './core/paths.js'
export {parseText, decodeText, DEFAULT_LIMITS, type Limits, type ParsedDocument} from './core/document.js'
export {loadManifest, type AgentManifest, type LoadedManifest} from './core/manifest.js'
