/** Every command, for oclif's explicit command strategy (package.json "oclif.commands"). */
import Assess from './commands/assess.js'
import Controls from './commands/controls.js'
import Detect from './commands/detect.js'
import Diff from './commands/diff.js'
import Frameworks from './commands/frameworks.js'
import Init from './commands/init.js'
import Schema from './commands/schema.js'
import Threats from './commands/threats.js'
import Validate from './commands/validate.js'

export const COMMANDS = {
  assess: Assess,
  controls: Controls,
  detect: Detect,
  diff: Diff,
  frameworks: Frameworks,
  init: Init,
  schema: Schema,
  threats: Threats,
  validate: Validate,
}
