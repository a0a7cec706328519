/**
 * Reports as JSON: satoshi sums (bigint) become decimal strings, as everywhere in the API
 * (JSON numbers lose precision past 2^53). Key order is the order the report was built in,
 * so the same data always gives the same bytes.
 */
export type Wire<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends Set<unknown> | Map<unknown, unknown>
      ? never
      : T extends object
        ? { -readonly [K in keyof T]: Wire<T[K]> }
        : T;

export function toWire<T>(value: T): Wire<T> {
  return JSON.parse(reportJson(value)) as Wire<T>;
}

/** The report as the JSON document `--json` prints and the API serves, with a final newline. */
export function reportJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}
