/** What a benchmark module reports; `bench/run.ts` prints it. */
export interface BenchReporter {
  /** Starts a titled group of figures. */
  section(title: string): void;
  /** One measured figure with its unit. */
  metric(name: string, value: number, unit: string, note?: string): void;
  /** A ratio against a baseline measured in the same run, with the target it is held to. */
  ratio(name: string, value: number, options?: { target?: string }): void;
  /** Free text (a caveat, an extrapolation's basis). */
  note(text: string): void;
}

/** Figures formatted for a terminal: three significant digits, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

export function consoleReporter(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): BenchReporter {
  return {
    section: (title) => write(`\n## ${title}`),
    metric: (name, value, unit, note) => write(`  ${name}: ${formatNumber(value)} ${unit}${note ? `  (${note})` : ''}`),
    ratio: (name, value, options) =>
      write(`  ${name}: ${value.toFixed(2)}x${options?.target ? `  (target ${options.target})` : ''}`),
    note: (text) => write(`  note: ${text}`),
  };
}
