import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { loadConfig, withFlags, type CliConfig } from './config.js';
import { createOutput, type Output, type OutputStreams } from './output.js';
import { createProgress, type Progress } from './progress.js';

/** What the CLI talks to: its streams and environment (the real process, or buffers in tests). */
export interface CliIo extends OutputStreams {
  readonly env: NodeJS.ProcessEnv;
  /** Where SIGINT comes from; the real process by default. */
  readonly signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** The global options every command accepts. */
export interface GlobalOptions {
  readonly store?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly network?: string;
}

/** What a command's action works with. */
export interface CommandContext {
  readonly config: CliConfig;
  readonly out: Output;
  readonly progress: Progress;
  /** Aborted on Ctrl-C (interruptible commands only). */
  readonly signal: AbortSignal;
  readonly io: CliIo;
}

export interface RunOptions {
  /** Ctrl-C asks the command to stop at its next checkpoint; a second Ctrl-C ends the process. */
  readonly interruptible?: boolean;
}

/**
 * Shared by every command module: builds a command's context from the global options and
 * runs its action. Command modules export `register<Name>(program, app)`.
 */
export class CliApp {
  readonly io: CliIo;

  constructor(io: CliIo) {
    this.io = io;
  }

  context(command: CommandUnknownOpts, signal: AbortSignal = new AbortController().signal): CommandContext {
    const globals = command.optsWithGlobals() as GlobalOptions;
    const config = withFlags(loadConfig(this.io.env), { store: globals.store, network: globals.network });
    const json = globals.json === true;
    const quiet = globals.quiet === true;
    return {
      config,
      out: createOutput({ json, quiet }, this.io),
      progress: createProgress(this.io.err, !json && !quiet),
      signal,
      io: this.io,
    };
  }

  async run(command: CommandUnknownOpts, action: (ctx: CommandContext) => Promise<void>, options: RunOptions = {}): Promise<void> {
    const controller = new AbortController();
    const signals = this.io.signals ?? process;
    let interrupts = 0;
    const onInterrupt = (): void => {

      interrupts++;
      if (interrupts === 1) {
        this.io.err.write('\nStopping at the next checkpoint (Ctrl-C again to stop at once; the work done so far is saved either way)...\n');
        controller.abort();
      } else {
        process.exit(130);
      }
    };
    if (options.interruptible) signals.on('SIGINT', onInterrupt);
    const ctx = this.context(command, controller.signal);
    try {
      await action(ctx);
    } finally {
      ctx.progress.stop();
      if (options.interruptible) signals.off('SIGINT', onInterrupt);
    }
  }
}
