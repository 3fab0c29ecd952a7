/**
 * Loading the catalogs: the built-in ones from the package's frameworks/ folder, and a team's own
 * from `--catalog DIR` (threats.json, controls.json, blast-radius.json, <framework-id>.json; see
 * catalog-dir.ts), merged and cross-checked by core/catalog.ts.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {buildCatalog, type Catalog, type CatalogFiles, type Framework} from '../core/catalog.js'
import type {ParsedDocument} from '../core/document.js'
import {InputError, inputError} from '../core/errors.js'
import {displayPath} from './io.js'

/** Catalog files with their own schema; any other `<id>.json` is a framework. */
export const SPECIAL_FILES = new Set(['threats.json', 'controls.json', 'blast-radius.json'])

/**
 * A shipped file: plain JSON.parse. The build validated every shipped catalog against its schema
 * (scripts/build.mjs) and the tests do again; the cross-checks of buildCatalog still run.
 */
function builtin(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown
}

export function frameworkId(file: string): string {
  return basename(file, '.json')
}

export function checkFrameworkFile(doc: ParsedDocument | undefined, value: Framework, file: string): void {
  const expected = frameworkId(file)
  if (value.id !== expected) {
    const pos = doc?.locate(['id']) ?? {line: 0, column: 0}
    throw inputError('catalog-id', `the framework id "${value.id}" must match the file name ("${expected}")`, displayPath(file), {
      ...pos,
      path: 'id',
    })
  }
}

/** The built-in catalog shipped in the package's frameworks/ folder. */
export function loadBuiltinFiles(root: string): CatalogFiles {
  const dir = join(root, 'frameworks')
  const files: CatalogFiles = {origin: 'frameworks', frameworks: []}
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const path = join(dir, name)
    if (name === 'questions.json') continue
    if (SPECIAL_FILES.has(name)) assign(files, name, builtin(path))
    else {
      const value = builtin(path) as Framework
      checkFrameworkFile(undefined, value, name)
      files.frameworks.push(value)
    }
  }
  return files
}

export function assign(files: CatalogFiles, name: string, value: unknown): void {
  if (name === 'threats.json') files.threats = value as CatalogFiles['threats']
  else if (name === 'controls.json') files.controls = value as CatalogFiles['controls']
  else files.graph = value as CatalogFiles['graph']
}

/** The built-in catalog. A problem in it is a broken installation, not the user's input: exit 3, not 2. */
export function loadCatalog(root: string): Catalog {
  try {
    return buildCatalog(loadBuiltinFiles(root))
  } catch (error) {
    if (error instanceof InputError) throw new Error(`the built-in catalog is inconsistent: ${error.message.split('\n')[0]}`)
    throw error
  }
}

/** The catalog for a command: built-in, plus `--catalog` folders in the order given (validated, loaded only when given). */
export async function loadCatalogWith(root: string, extraDirs: readonly string[] = []): Promise<Catalog> {
  if (extraDirs.length === 0) return loadCatalog(root)
  const {loadCatalogDir} = await import('./catalog-dir.js')
  return buildCatalog(loadBuiltinFiles(root), extraDirs.map(loadCatalogDir))
}
