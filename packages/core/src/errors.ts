/**
 * Every failure chaintrail reports has a stable `code` that scripts and the CLI's exit
 * statuses rely on, and a message that names the input and says what to do next.
 */
export class ChaintrailError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Normalises anything thrown into an Error, so callers can always read `.message`. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
