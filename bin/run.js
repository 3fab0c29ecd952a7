#!/usr/bin/env node
// Node 22.1+ keeps compiled code between runs (in the OS temp folder): a faster start for every
// command after the first. Older Node versions skip it.
import module from 'node:module'

module.enableCompileCache?.()
const {run} = await import('../dist/cli.js')
await run()
