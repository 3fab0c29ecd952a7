import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {BaseCommand} from '../cli/base-command.js'

export default class Schema extends BaseCommand<typeof Schema> {
  static override summary = 'Print the agent manifest JSON Schema.'
  static override description =
    'Prints schemas/agent-manifest.schema.json, for editors (yaml-language-server, VS Code) and other tools. Always JSON.'
  static override examples = ['<%= config.bin %> <%= command.id %> > agent-manifest.schema.json']
  static override enableJsonFlag = false

  async run(): Promise<void> {
    process.stdout.write(readFileSync(join(this.root, 'schemas', 'agent-manifest.schema.json'), 'utf8'))
  }
}
