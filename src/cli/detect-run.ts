/** Detection of one repository: its agent configuration read, detected and assessed. */
import {basename, resolve} from 'node:path'
import {detect, type DetectResult} from '../core/detect/index.js'
import {assessObserved, type ObservedAssessment} from '../core/observed.js'
import {toolVersion, type AssessContext} from './assessment.js'
import {ownerFromCodeowners, readRepositoryConfig} from './detect-files.js'

/** metadata.name from a folder name: lowercase, [a-z0-9-], 1-63 characters. */
export function nameFromFolder(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '')
  return name || 'agent'
}

/** Detection of one repository: its files read, detected, and the observed manifest assessed. */
export function detectRepository(
  dir: string,
  context: AssessContext,
): {detected: DetectResult; assessed: ObservedAssessment; unreadable: {path: string; message: string}[]} {
  const {files, unreadable} = readRepositoryConfig(dir)
  const detected = detect(files, {name: nameFromFolder(dir), ownerTeam: ownerFromCodeowners(dir) ?? 'unassigned'})
  const assessed = assessObserved(detected, context.catalog, context.today, toolVersion(context.root))
  return {detected, assessed, unreadable}
}
