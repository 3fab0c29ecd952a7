/** A team's own catalog folder (`--catalog DIR`): loaded only when given, every file validated. */
import {readdirSync, realpathSync, statSync} from 'node:fs'
import {join, relative, resolve, sep} from 'node:path'
import type {CatalogFiles, Framework} from '../core/catalog.js'
import {parseText} from '../core/document.js'
import {inputError} from '../core/errors.js'
import {assertValid} from '../core/validate.js'
import type {ValidateFunction} from '../core/validate-types.js'
import * as validators from '../generated/validators.cjs'
import {assign, checkFrameworkFile} from './catalog.js'
import {displayPath, readInputFile} from './io.js'

const SPECIAL: Record<string, ValidateFunction> = {
  'threats.json': validators.threats,
  'controls.json': validators.controls,
  'blast-radius.json': validators.blastRadius,
}

/** Every file read safely, validated, and kept inside the folder. */
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
    let target: string
    try {
      target = realpathSync(path)
    } catch {
      throw inputError('unreadable', 'cannot read: a symbolic link to nothing', shownFile)
    }
    const rel = relative(real, target)
    if (rel.startsWith('..') || rel.includes(`..${sep}`) || resolve(real, rel) !== target) {
      throw inputError('catalog-outside', 'points outside the catalog folder (a symbolic link?); refused', shownFile)
    }
    const input = readInputFile(path, undefined, shownFile)
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
