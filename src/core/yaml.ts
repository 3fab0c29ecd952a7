/**
 * The `yaml` package (YAML with positions and comments), reached through one function so that it
 * is loaded on first use: most runs parse with js-yaml and never need a position. Here it is a
 * plain import (tests, the library entry); the bundle replaces this module with one that loads a
 * separate bundle of the package, dist/vendor/yaml.cjs, on the first call, and yamlParser() one
 * of its parser alone, dist/vendor/yaml-parser.cjs (scripts/build.mjs).
 */
import * as yaml from 'yaml'

export type YamlLib = typeof yaml

export function yamlLib(): YamlLib {
  return yaml
}

/** Only yaml's Parser and LineCounter (a syntax tree with lines): a smaller file in the bundle. */
export function yamlParser(): Pick<YamlLib, 'LineCounter' | 'Parser'> {
  return yaml
}
