import { SingleBar } from 'cli-progress';
import type { TextSink } from './output.js';

/**
 * Progress of long work on stderr: a bar with rate and ETA when the total is known, a
 * counter with rate otherwise. Off when stderr is not a terminal (logs and pipes get no
 * control characters), with `--quiet` and with `--json`.
 */
export interface Progress {
  /** Starts (or switches to) a stage: `label`, and its total when known. */
  stage(label: string, total: number | null): void;
  update(done: number, total?: number | null): void;
  stop(): void;
}

const silent: Progress = { stage: () => undefined, update: () => undefined, stop: () => undefined };

export function createProgress(stream: TextSink & { isTTY?: boolean }, enabled: boolean): Progress {
  if (!enabled || stream.isTTY !== true) return silent;
  let bar: SingleBar | null = null;
  let label = '';
  let total: number | null = null;
  let started = 0;
  let startDone = 0;
  const payload = (done: number): Record<string, string> => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0.5 ? (done - startDone) / seconds : 0;
    return { label, rate: rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(1) };
  };
  const open = (): void => {
    bar?.stop();
    const known = total !== null && total > 0;
    bar = new SingleBar({
      stream: stream as NodeJS.WritableStream,
      format: known ? '{label} [{bar}] {percentage}% {value}/{total} {rate}/s ETA {eta_formatted}' : '{label} {value} {rate}/s',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 5,
    });
    bar.start(known ? (total as number) : 0, 0, payload(0));
  };
  return {
    stage(nextLabel, nextTotal) {
      label = nextLabel;
      total = nextTotal;
      started = Date.now();
      startDone = 0;
      open();
    },
    update(done, nextTotal) {
      if (nextTotal !== undefined && nextTotal !== total) {
        total = nextTotal;
        bar?.setTotal(total ?? 0);
      }
      bar?.update(done, payload(done));
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
