import type {ParsedDocument} from './document.js'
import {InputError} from './errors.js'
import {toDiagnostics} from './schema-errors.js'
import type {ValidateFunction} from './validate-types.js'

/** Validate a parsed document against a precompiled schema; throws with every violation, located. */
export function assertValid(doc: ParsedDocument, validate: ValidateFunction): void {
  if (validate(doc.value)) return
  throw new InputError(toDiagnostics(validate.errors ?? [], doc))
}
