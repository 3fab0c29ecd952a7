// Build: generate types and precompiled validators from schemas/, then bundle src/ with esbuild.
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import AjvModule from 'ajv'
import standaloneModule from 'ajv/dist/standalone/index.js'
import {_} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {compile} from 'json-schema-to-typescript'
import {build} from 'esbuild'
import {precompileAll} from './precompile-templates.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const generated = join(root, 'src/generated')
mkdirSync(generated, {recursive: true})

/** camelCase export name from a schema file name: agent-manifest.schema.json -> agentManifest */
const exportName = (file) => file.replace(/\.schema\.json$/, '').replace(/-([a-z])/g, (_m, c) => c.toUpperCase())

async function validators() {
  const Ajv = AjvModule.default ?? AjvModule
  const standalone = standaloneModule.default ?? standaloneModule
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: false,
    code: {source: true, formats: _`require("ajv-formats/dist/formats").fullFormats`},
  })
  ;(addFormatsModule.default ?? addFormatsModule)(ajv, ['date', 'email', 'uri'])
  const files = readdirSync(join(root, 'schemas'))
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
  const refs = {}
  for (const file of files) {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8'))
    ajv.addSchema(schema, schema.$id ?? file)
    refs[exportName(file)] = schema.$id ?? file
  }
  writeFileSync(join(generated, 'validators.cjs'), standalone(ajv, refs))
  const names = Object.keys(refs)
  writeFileSync(
    join(generated, 'validators.d.cts'),
    `import type {ValidateFunction} from '../core/validate-types.js'\n${names.map((n) => `export declare const ${n}: ValidateFunction`).join('\n')}\n`,
  )
}

async function types() {
  const schema = JSON.parse(readFileSync(join(root, 'schemas/agent-manifest.schema.json'), 'utf8'))
  const ts = await compile(schema, 'AgentManifest', {
    bannerComment: '/* Generated from schemas/agent-manifest.schema.json by scripts/build.mjs. Do not edit. */',
    additionalProperties: false,
    unreachableDefinitions: false,
    style: {singleQuote: true, semi: false},
  })
  writeFileSync(join(generated, 'manifest-types.ts'), ts)
}

async function bundle() {
  rmSync(join(root, 'dist'), {recursive: true, force: true})
  await build({
    entryPoints: {commands: 'src/commands.ts', index: 'src/index.ts', cli: 'src/cli/run.ts'},
    absWorkingDir: root,
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    target: 'node20',
    external: ['typescript'],
    chunkNames: 'chunks/[name]-[hash]',
    banner: {js: "import {createRequire as __leashCreateRequire} from 'node:module';const require=__leashCreateRequire(import.meta.url);"},
    logLevel: 'warning',
    legalComments: 'none',
  })
}

const only = process.argv[2]
if (!only || only === 'generate') {
  await Promise.all([validators(), types()])
  precompileAll()
}
if (!only || only === 'bundle') await bundle()
