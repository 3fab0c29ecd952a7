/** Every command, for oclif's explicit command strategy (package.json "oclif.commands"). */
import Assess from './commands/assess.js'
import Controls from './commands/controls.js'
import Frameworks from './commands/frameworks.js'
import Schema from './commands/schema.js'
import Threats from './commands/threats.js'
import Validate from './commands/validate.js'

export const COMMANDS = {
  assess: Assess,
  controls: Controls,
  frameworks: Frameworks,
  schema: Schema,
  threats: Threats,
  validate: Validate,
}
