/**
 * Where a command's results go: a human-readable text on stdout, or one JSON document
 * for scripts (`--json`). Progress and warnings go to stderr so stdout stays parseable.
 */
export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Prints a result: `human()` renders text lines, `data` is the JSON document. */
  result(data: unknown, human: () => string[]): void;
  /** A message for the person at the terminal (stderr; silent with --quiet or --json). */
  info(message: string): void;
  warn(message: string): void;
}

/** JSON with bigints written as decimal strings (JSON has no 64-bit integers). */
export function toJson(data: unknown): string {
  return JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2);
}

/** Where text goes; process.stdout/stderr, or a buffer in tests that run the CLI in-process. */
export interface TextSink {
  write(text: string): unknown;
}

export interface OutputStreams {
  readonly out: TextSink;
  readonly err: TextSink & { readonly isTTY?: boolean };
}

export function createOutput(options: { json: boolean; quiet: boolean }, streams: OutputStreams = { out: process.stdout, err: process.stderr }): Output {
  return {
    json: options.json,
    quiet: options.quiet,
    result(data, human) {
      streams.out.write(options.json ? `${toJson(data)}\n` : `${human().join('\n')}\n`);
    },
    info(message) {
      if (!options.quiet && !options.json) streams.err.write(`${message}\n`);
    },
    warn(message) {
      if (!options.quiet) streams.err.write(`warning: ${message}\n`);
    },
  };
}
