/** The waivers file: `--waivers FILE`, else `.leash/waivers.yaml` in the current folder when present. */
import {existsSync} from 'node:fs'
import {parseText} from '../core/document.js'
import {assertNoSecrets} from '../core/manifest.js'
import {assertValid} from '../core/validate.js'
import type {Waiver} from '../core/waivers.js'
import validateWaivers from '../generated/validators/waivers.cjs'
import {readInputFile} from './io.js'

export const DEFAULT_WAIVERS = '.leash/waivers.yaml'

export function loadWaivers(path: string | undefined): Waiver[] {
  const file = path ?? (existsSync(DEFAULT_WAIVERS) ? DEFAULT_WAIVERS : undefined)
  if (!file) return []
  const input = readInputFile(file)
  const doc = parseText(input.text, input.file)
  assertNoSecrets(doc, 'a waivers file') // its free text reaches every report
  assertValid(doc, validateWaivers)
  return (doc.value as {waivers: Waiver[]}).waivers
}
