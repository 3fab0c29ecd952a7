/**
 * The one place that maps errors to exit codes and prints them: input problems exit 2 with
 * located messages, bugs exit 3 with a one-line hint (stack only with DEBUG=1), and under --json
 * an error is a JSON document on stdout with the same exit code.
 */
import {Command} from '@oclif/core/command'
import {CLIError} from '@oclif/core/errors'
import type {InferredArgs, InferredFlags} from '@oclif/core/interfaces'
import {formatDiagnostic, InputError, type Diagnostic} from '../core/errors.js'
import {EXIT} from './exit.js'
import {paint} from './style.js'

export type Flags<T extends typeof Command> = InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type Args<T extends typeof Command> = InferredArgs<T['args']>

/** Raised when the user interrupts (Ctrl-C): exit 130 with a hint. */
export class Interrupted extends Error {
  constructor(readonly hint: string) {
    super(hint)
    this.name = 'Interrupted'
  }
}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static enableJsonFlag = true

  protected flags!: Flags<T>
  protected args!: Args<T>
  /** Positional arguments (for commands that take several files). */
  protected positionals: string[] = []

  public override async init(): Promise<void> {
    await super.init()
    const {flags, args, argv} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as Flags<T>
    this.args = args as Args<T>
    this.positionals = argv as string[]
  }

  /** The package root: where frameworks/, schemas/, templates/ and examples/ are. */
  protected get root(): string {
    return this.config.root
  }

  protected printJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
  }

  /** Human diagnostics to stderr, one per line. */
  protected printDiagnostics(diagnostics: readonly Diagnostic[]): void {
    const c = paint(process.stderr)
    for (const d of diagnostics) process.stderr.write(`${c('red', 'error')} ${formatDiagnostic(d)}\n`)
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    const json = this.argv.includes('--json')
    if (error instanceof InputError) {
      process.exitCode = EXIT.INPUT
      if (json) this.printJson({error: errorDocument(error.diagnostics[0], error.diagnostics)})
      else this.printDiagnostics(error.diagnostics)
      return
    }
    if (error instanceof Interrupted) {
      process.exitCode = EXIT.INTERRUPTED
      process.stderr.write(`\n${error.hint}\n`)
      return
    }
    // oclif's own errors: flag parsing, unknown arguments and the like are input errors.
    if (error instanceof CLIError || (error as {oclif?: unknown}).oclif) {
      const exit = error.oclif?.exit
      if (exit === 0) return
      process.exitCode = EXIT.INPUT
      const message = error.message.replace(/\n\s*See more help with --help$/, '')
      if (json) this.printJson({error: {code: 'usage', message}})
      else process.stderr.write(`${paint(process.stderr)('red', 'error')} ${message}\n${this.hint()}`)
      return
    }
    process.exitCode = EXIT.INTERNAL
    const message = `internal error: ${error.message.split('\n')[0]}`
    if (json) this.printJson({error: {code: 'internal', message}})
    process.stderr.write(
      process.env.DEBUG
        ? `${error.stack}\n`
        : `${paint(process.stderr)('red', 'error')} ${message}\nThis is a bug in leash. Rerun with DEBUG=1 to see the stack trace, and report it.\n`,
    )
  }

  private hint(): string {
    return `See \`${this.config.bin} ${this.id ?? ''} --help\`.\n`.replace('  ', ' ')
  }
}

export function errorDocument(first: Diagnostic, all: readonly Diagnostic[]): Record<string, unknown> {
  return {
    code: first.code,
    message: all.map(formatDiagnostic).join('\n'),
    ...(first.file ? {file: first.file} : {}),
    ...(first.line > 0 ? {line: first.line, column: first.column} : {}),
    ...(first.path ? {path: first.path} : {}),
    ...(all.length > 1 ? {problems: all} : {}),
  }
}
