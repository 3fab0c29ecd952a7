// Build: generate types and precompiled validators from schemas/, then bundle src/ with esbuild.
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
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
  // One module per schema, so that a command loads only the validators it uses.
  const dir = join(generated, 'validators')
  mkdirSync(dir, {recursive: true})
  const dts = `import type {ValidateFunction} from '../../core/validate-types.js'\ndeclare const validate: ValidateFunction\nexport = validate\n`
  for (const [name, ref] of Object.entries(refs)) {
    writeFileSync(join(dir, `${name}.cjs`), standalone(ajv, ajv.getSchema(ref)))
    writeFileSync(join(dir, `${name}.d.cts`), dts)
  }
  // All of them, for tests and tools.
  const names = Object.keys(refs)
  writeFileSync(join(generated, 'validators.cjs'), names.map((n) => `exports.${n} = require('./validators/${n}.cjs')`).join('\n') + '\n')
  writeFileSync(
    join(generated, 'validators.d.cts'),
    `import type {ValidateFunction} from '../core/validate-types.js'\n${names.map((n) => `export declare const ${n}: ValidateFunction`).join('\n')}\n`,
  )
  checkBuiltinCatalogs(ajv)
}

/** The shipped catalogs are validated here, once, so that no run has to. */
function checkBuiltinCatalogs(ajv) {
  const problems = []
  const dir = join(root, 'frameworks')
  const schemaFor = {
    'threats.json': 'threats',
    'controls.json': 'controls',
    'blast-radius.json': 'blast-radius',
    'questions.json': 'questions',
  }
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const schema = schemaFor[name] ?? 'framework'
    const validate = ajv.getSchema(`https://leash.dev/schemas/${schema}.schema.json`) ?? ajv.getSchema(`${schema}.schema.json`)
    if (!validate) throw new Error(`build: no schema ${schema}.schema.json for frameworks/${name}`)
    if (!validate(JSON.parse(readFileSync(join(dir, name), 'utf8')))) {
      for (const e of validate.errors) problems.push(`frameworks/${name}${e.instancePath}: ${e.message}`)
    }
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'))
    process.exit(1)
  }
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

/**
 * Code that only some runs need, kept out of the start-up chunks in CommonJS files of its own
 * (dist/vendor/*.cjs), each loaded by a synchronous require on first use. `leash-vendor` is the
 * loader, resolved from the bundle's own location.
 */
const VENDOR_LOADER = `import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
const loaded = new Map()
export function vendor(name) {
  let lib = loaded.get(name)
  if (lib === undefined) {
    const url = import.meta.url
    lib = createRequire(url)(fileURLToPath(url.slice(0, url.lastIndexOf('/dist/')) + '/dist/vendor/' + name + '.cjs'))
    loaded.set(name, lib)
  }
  return lib
}`

/**
 * The loader, and src/core/yaml.ts in the bundle: the `yaml` package comes from
 * dist/vendor/yaml.cjs and its parser alone from dist/vendor/yaml-parser.cjs, so that a run that
 * needs no position (most of them) loads neither, and one that reads positions from the syntax
 * tree does not load the rest.
 */
const vendorFiles = {
  name: 'vendor-files',
  setup(b) {
    b.onResolve({filter: /^leash-vendor$/}, () => ({path: 'leash-vendor', namespace: 'leash'}))
    b.onLoad({filter: /^leash-vendor$/, namespace: 'leash'}, () => ({loader: 'js', contents: VENDOR_LOADER, resolveDir: root}))
    b.onLoad({filter: /[\\/]src[\\/]core[\\/]yaml\.ts$/}, () => ({
      loader: 'js',
      contents: `import {vendor} from 'leash-vendor'
export function yamlLib() {
  return vendor('yaml')
}
export function yamlParser() {
  return vendor('yaml-parser')
}`,
    }))
  },
}

/**
 * Modules that @oclif/core requires at start-up but calls only for help, errors, spinners, plugin
 * discovery, templates in examples, flags read from stdin or a Windows shell: each becomes an
 * object that requires the module on its first property read. The packages are in
 * dist/vendor/oclif-extras.cjs (240 KB that every start-up compiled, about 5 ms); Node's own
 * modules are required from Node (child_process and readline, about 3 ms).
 */
const OCLIF_EXTRAS = {
  'config/config.js': ['ejs'],
  'help/util.js': ['ejs'],
  'config/plugin-loader.js': ['minimatch'],
  'config/plugin.js': ['tinyglobby'],
  'ux/action/spinner.js': ['cli-spinners'],
  'errors/errors/cli.js': ['wrap-ansi'],
  'errors/errors/pretty-print.js': ['wrap-ansi'],
  'help/formatter.js': ['string-width', 'widest-line', 'wrap-ansi'],
  'util/os.js': ['node:child_process'],
  'parser/parse.js': ['node:readline'],
}
const EXTRA_PACKAGES = [...new Set(Object.values(OCLIF_EXTRAS).flat())].filter((name) => !name.startsWith('node:')).sort()

/**
 * Lines of @oclif/core replaced at bundle time, each faster for the same result (but for the
 * platform word under WSL, below). The build fails if one of them is no longer in the package, so
 * that an upgrade cannot skip a patch.
 */
const OCLIF_PATCHES = [
  {
    // oclif loads wsl-utils (with child_process) on every start-up, about 4 ms, only to print
    // "wsl" instead of "linux" in `--version` under WSL. leash names the platform Node reports.
    file: 'lib/util/os.js',
    from: "return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
    to: 'return (0, node_os_1.platform)();',
  },
  {
    // localeCompare loads ICU collation data on first use: about 8 ms of every start-up.
    // leash's command ids are lower-case ASCII (checked below), for which code-point order is the same.
    file: 'lib/config/plugin.js',
    from: '.sort((a, b) => a.id.localeCompare(b.id))',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
  },
  {
    // quadratic in the number of arguments (each indexOf scans argv): most of the 60 ms that
    // parsing 1,000 file arguments took.
    // The positions are looked up in a map of first occurrences, which indexOf returns.
    file: 'lib/parser/parse.js',
    from: 'argv: unsortedArgv.sort((a, b) => originalArgv.indexOf(a) - originalArgv.indexOf(b)),',
    to: 'argv: ((at) => unsortedArgv.sort((a, b) => (at.get(a) ?? -1) - (at.get(b) ?? -1)))(originalArgv.reduce((m, x, i) => (m.has(x) ? m : m.set(x, i)), new Map())),',
  },
  {
    // _argTokens filters every token so far, for each argument: quadratic. This is the only place
    // that adds an argument token, so counting them gives the same index.
    file: 'lib/parser/parse.js',
    from: 'const arg = Object.keys(this.input.args)[this._argTokens.length];',
    to: 'const arg = Object.keys(this.input.args)[(this.leashArgCount = (this.leashArgCount ?? -1) + 1)];',
  },
]

const oclifPatches = {
  name: 'oclif-patches',
  setup(b) {
    const ids = readdirSync(join(root, 'src/commands')).map((f) => f.replace(/\.ts$/, ''))
    if (!ids.every((id) => /^[a-z][a-z0-9-]*$/.test(id))) throw new Error(`command ids must be lower-case ASCII: ${ids.join(', ')}`)
    const applied = new Set()
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/].+\.js$/}, (args) => {
      const path = args.path.replace(/\\/g, '/')
      const patches = OCLIF_PATCHES.filter((p) => path.endsWith(`/@oclif/core/${p.file}`))
      const extras = Object.entries(OCLIF_EXTRAS).find(([file]) => path.endsWith(`/@oclif/core/lib/${file}`))
      if (patches.length === 0 && !extras) return undefined
      let text = readFileSync(args.path, 'utf8')
      for (const patch of patches) {
        if (!text.includes(patch.from)) throw new Error(`${args.path} has changed: update OCLIF_PATCHES in scripts/build.mjs`)
        text = text.replace(patch.from, patch.to)
        applied.add(patch)
      }
      for (const name of extras?.[1] ?? []) {
        // `const x_1 = require("x");` or `const x_1 = __importDefault(require("x"));` becomes an
        // object that requires the package on its first property read
        const statement = new RegExp(`^const (\\w+) = (__importDefault\\()?require\\("${name}"\\)\\)?;$`, 'm')
        const match = statement.exec(text)
        if (!match) throw new Error(`${args.path} no longer requires ${name} as expected: update OCLIF_EXTRAS in scripts/build.mjs`)
        const module = name.startsWith('node:')
          ? `require(${JSON.stringify(name)})`
          : `require('leash-vendor').vendor('oclif-extras')[${JSON.stringify(name)}]`
        const value = match[2] ? `__importDefault(${module})` : module
        text = text.replace(statement, `const ${match[1]} = new Proxy({}, {get: (_target, key) => ${value}[key]});`)
        applied.add(`${extras[0]}:${name}`)
      }
      return {loader: 'js', contents: text}
    })
    b.onEnd(() => {
      const expected = OCLIF_PATCHES.length + Object.values(OCLIF_EXTRAS).flat().length
      if (applied.size !== expected)
        throw new Error('an oclif patch was not applied: update OCLIF_PATCHES or OCLIF_EXTRAS in scripts/build.mjs')
    })
  },
}

/**
 * The licences of the packages inside the bundle (the package ships no node_modules): each one
 * esbuild read, with its version, licence and the licence text it ships, in
 * dist/THIRD-PARTY-NOTICES.md. Sorted, so the same build writes the same file.
 */
function writeNotices(metafiles) {
  const dirs = new Set()
  for (const input of metafiles.flatMap((m) => Object.keys(m.inputs))) {
    const at = input.lastIndexOf('node_modules/')
    if (at < 0) continue
    const parts = input.slice(at + 'node_modules/'.length).split('/')
    dirs.add(`${input.slice(0, at)}node_modules/${parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/')}`)
  }
  const seen = new Set()
  const sections = []
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
    const id = `${pkg.name} ${pkg.version}`
    if (seen.has(id)) continue
    seen.add(id)
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'not stated')
    const file = readdirSync(join(root, dir))
      .filter((f) => /^(?:licen[cs]e|copying)(?:[.-]|$)/i.test(f))
      .sort()[0]
    const text = file
      ? readFileSync(join(root, dir, file), 'utf8').trim()
      : `(the package ships no licence file; its package.json says ${license})`
    sections.push({id, text: `## ${id} (${license})\n\n~~~text\n${text}\n~~~\n`})
  }
  sections.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const intro = `# Third-party notices\n\nleash's bundle (dist/) includes the ${sections.length} packages below, each with the licence text it ships.\n`
  writeFileSync(join(root, 'dist', 'THIRD-PARTY-NOTICES.md'), [intro, ...sections.map((s) => s.text)].join('\n'))
}

async function bundle() {
  rmSync(join(root, 'dist'), {recursive: true, force: true})
  const vendorOptions = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
    metafile: true,
  }
  // From yaml's ES module build (its `default` export condition; the `node` one is CommonJS): one
  // scope instead of 70 module wrappers loads in 4.7 ms instead of 6.5, and the parser alone
  // leaves the rest out. The two builds differ only where leash does not go: warnings of
  // YAML.parse and debug logging.
  const yamlFile = (name, contents) =>
    build({
      ...vendorOptions,
      stdin: {contents, resolveDir: root, sourcefile: `${name}.js`},
      platform: 'neutral',
      mainFields: ['module', 'main'],
      outfile: `dist/vendor/${name}.cjs`,
    })
  const yaml = await yamlFile('yaml', "export * from 'yaml'")
  const yamlParser = await yamlFile('yaml-parser', "export {LineCounter, Parser} from 'yaml'")
  const extras = await build({
    ...vendorOptions,
    stdin: {
      contents: EXTRA_PACKAGES.map((name) => `exports[${JSON.stringify(name)}] = require(${JSON.stringify(name)})`).join('\n'),
      // resolved as @oclif/core resolves them: the versions it depends on
      resolveDir: join(root, 'node_modules/@oclif/core'),
      sourcefile: 'oclif-extras.cjs',
    },
    outfile: 'dist/vendor/oclif-extras.cjs',
  })
  const main = await build({
    entryPoints: {
      index: 'src/index.ts',
      cli: 'src/cli/run.ts',
      ...Object.fromEntries(
        readdirSync(join(root, 'src/commands'))
          .filter((f) => f.endsWith('.ts'))
          .map((f) => [`commands/${f.slice(0, -3)}`, `src/commands/${f}`]),
      ),
    },
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
    plugins: [vendorFiles, oclifPatches],
    metafile: true,
  })
  writeNotices([yaml.metafile, yamlParser.metafile, extras.metafile, main.metafile])
}

const only = process.argv[2]
if (!only || only === 'generate') {
  await Promise.all([validators(), types()])
  precompileAll()
}
if (!only || only === 'bundle') {
  await bundle()
  // The command manifest: oclif then imports only the command that runs.
  execFileSync(process.execPath, [join(root, 'node_modules/oclif/bin/run.js'), 'manifest'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'},
  })
}
