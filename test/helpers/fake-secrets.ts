/**
 * Building blocks of the fake secrets the tests make: alphabets and a seeded pick, so that a test
 * file holds no literal a secret scanner would flag, and the same seed gives the same secret.
 */
export {prng} from '../hostile/cases.mjs'

export type Rng = () => number

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
export const LOWER = 'abcdefghijklmnopqrstuvwxyz'
export const DIGITS = '0123456789'
export const BASE62 = UPPER + LOWER + DIGITS
export const BASE64 = BASE62 + '+/'
export const BASE64URL = BASE62 + '-_'

/** `length` characters of `alphabet`, drawn with `rng`. */
export function pick(rng: Rng, alphabet: string, length: number): string {
  let s = ''
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rng() * alphabet.length)]
  return s
}
