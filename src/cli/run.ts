/** Entry point of the `leash` binary (bin/run.js). */
import {execute} from '@oclif/core/execute'

export async function run(): Promise<void> {
  await execute({dir: import.meta.url})
}
