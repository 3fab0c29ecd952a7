/**
 * Loading the catalogs: the built-in ones from the package's frameworks/ folder, and a team's own
 * from `--catalog DIR` (threats.json, controls.json, blast-radius.json, <framework-id>.json),
 * each validated against its schema. Files outside DIR (symlinks, `..`) are refused.
 */
import {readdirSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {basename, join, relative, resolve, sep} from 'node:path'
import {buildCatalog, type Catalog, type CatalogFiles, type Framework} from '../core/catalog.js'
import {parseText, type ParsedDocument} from '../core/document.js'
import {inputError} from '../core/errors.js'
import {assertValid} from '../core/validate.js'
import type {ValidateFunction} from '../core/validate-types.js'
import * as validators from '../generated/validators.cjs'
import {displayPath, readInputFile} from './io.js'

const SPECIAL = {
  'threats.json': validators.threats,
  'controls.json': validators.controls,
  'blast-radius.json': validators.blastRadius,
} as Record<string, ValidateFunction>

/** A trusted built-in file: plain JSON.parse, still schema-checked. */
function builtin(path: string, validate: ValidateFunction): unknown {
  const text = readFileSync(path, 'utf8')
  const value = JSON.parse(text) as unknown
  if (!validate(value)) {
    const doc = parseText(text, path)
    assertValid(doc, validate)
  }
  return value
}

function frameworkId(file: string): string {
  return basename(file, '.json')
}

function checkFrameworkFile(doc: ParsedDocument | undefined, value: Framework, file: string): void {
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
    const special = SPECIAL[name]
    if (name === 'questions.json') continue
    if (special) assign(files, name, builtin(path, special))
    else {
      const value = builtin(path, validators.framework) as Framework
      checkFrameworkFile(undefined, value, name)
      files.frameworks.push(value)
    }
  }
  return files
}

function assign(files: CatalogFiles, name: string, value: unknown): void {
  if (name === 'threats.json') files.threats = value as CatalogFiles['threats']
  else if (name === 'controls.json') files.controls = value as CatalogFiles['controls']
  else files.graph = value as CatalogFiles['graph']
}

/** A team's catalog folder: every file read safely, validated, and kept inside the folder. */
export function loadCatalogDir(dir: string): CatalogFiles {
  const shown = displayPath(dir)
  let real: string
  try {
    real = realpathSync(dir)
    if (!statSync(real).isDirectory()) throw inputError('catalog-dir', 'is not a folder', shown)
  } catch (error) {
    if ((error as {diagnostics?: unknown}).diagnostics) throw error
    throw inputError('catalog-dir', 'cannot read the catalog folder: no such folder', shown)
  }
  const files: CatalogFiles = {origin: shown, frameworks: []}
  const names = readdirSync(real)
    .filter((n) => n.endsWith('.json') || n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()
  if (names.length === 0)
    throw inputError('catalog-dir', 'holds no catalog files (threats.json, controls.json, <framework-id>.json)', shown)
  for (const name of names) {
    const path = join(real, name)
    const shownFile = `${shown.replace(/\/$/, '')}/${name}`
    const target = realpathSync(path)
    const rel = relative(real, target)
    if (rel.startsWith('..') || rel.includes(`..${sep}`) || resolve(real, rel) !== target) {
      throw inputError('catalog-outside', 'points outside the catalog folder (a symbolic link?); refused', shownFile)
    }
    const input = readInputFile(path)
    const doc = parseText(input.text, shownFile)
    const jsonName = name.replace(/\.(yaml|yml)$/, '.json')
    const special = SPECIAL[jsonName]
    if (special) {
      assertValid(doc, special)
      assign(files, jsonName, doc.value)
    } else {
      assertValid(doc, validators.framework)
      checkFrameworkFile(doc, doc.value as Framework, jsonName)
      files.frameworks.push(doc.value as Framework)
    }
  }
  return files
}

/** The catalog for a command: built-in, plus `--catalog` folders in the order given. */
export function loadCatalog(root: string, extraDirs: readonly string[] = []): Catalog {
  return buildCatalog(loadBuiltinFiles(root), extraDirs.map(loadCatalogDir))
}
