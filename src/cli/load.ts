/** Reading and loading a manifest file: the I/O half of core/manifest.ts. */
import {hash} from 'node:crypto'
import {decodeText, type Limits} from '../core/document.js'
import {loadManifest, type LoadedManifest} from '../core/manifest.js'
import {readInputFile} from './io.js'

export interface ManifestFile extends LoadedManifest {
  file: string
  sha256: string
}

/** Load a manifest from text that did not come from a file (e.g. `git show`). */
export function manifestFromText(text: string, display: string, limits?: Limits): ManifestFile {
  const bytes = Buffer.from(text, 'utf8')
  const loaded = loadManifest(decodeText(bytes, display), display, limits)
  return {...loaded, file: display, sha256: hash('sha256', bytes, 'hex')}
}

/** Read and load a manifest; `display` names it in messages and results (default: the path as given). */
export function loadManifestFile(path: string, display?: string, limits?: Limits): ManifestFile {
  const input = readInputFile(path, limits, display)
  const loaded = loadManifest(input.text, input.file, limits)
  return {...loaded, file: input.file, sha256: hash('sha256', input.bytes, 'hex')}
}
