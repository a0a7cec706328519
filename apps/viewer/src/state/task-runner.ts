/**
 * Runs a piece of work the investigator started (an expansion, a path search) as a task:
 * listed in the status bar with a Cancel button, its failure shown as a message that says
 * what happened, a cancel never shown as an error.
 */
import { describeError, isAbort } from '../api/viewer-api-error.js';
import { newId, postMessage, type ViewerStore } from './viewer-store.js';

export async function runTask<T>(store: ViewerStore, label: string, work: (signal: AbortSignal, progress: (text: string) => void) => Promise<T>): Promise<T | undefined> {
  const controller = new AbortController();
  const id = newId();
  const task = { id, label, cancel: () => controller.abort(new DOMException(`${label}: cancelled`, 'AbortError')), progress: null };
  store.setState((s) => ({ tasks: [...s.tasks, task] }));
  const progress = (text: string): void => store.setState((s) => ({ tasks: s.tasks.map((t) => (t.id === id ? { ...t, progress: text } : t)) }));
  try {
    return await work(controller.signal, progress);
  } catch (error) {
    if (isAbort(error) || controller.signal.aborted) postMessage(store, 'info', `${label}: cancelled.`);
    else postMessage(store, 'error', `${label} failed: ${describeError(error)}`);
    return undefined;
  } finally {
    store.setState((s) => ({ tasks: s.tasks.filter((t) => t.id !== id) }));
  }
}
