/** Notes and colour labels on nodes, kept by the API in the case for everyone on it. */
import type { AnnotationColour, AnnotationJson } from '../api/wire-types.js';
import { refOfKey, type NodeKey } from '../graph/node-key.js';
import type { NodeMark } from '../render/scene.js';
import { runTask } from './task-runner.js';
import type { ViewerContext } from './viewer-context.js';
import { postMessage } from './viewer-store.js';

/** The mark drawn on a node: the latest colour given and whether any note is written. */
export function marksOf(annotations: ReadonlyMap<NodeKey, AnnotationJson[]>): Map<NodeKey, NodeMark & { text: string }> {
  const marks = new Map<NodeKey, NodeMark & { text: string }>();
  for (const [key, list] of annotations) {
    const colour = [...list].reverse().find((a) => a.colour !== null)?.colour ?? null;
    const text = list
      .map((a) => a.text)
      .filter((t) => t !== '')
      .join(' | ');
    marks.set(key, { colour, note: text !== '', text });
  }
  return marks;
}

/** Writes the node's note and colour: updates its annotation, or creates the first one. */
export async function saveAnnotation(ctx: ViewerContext, key: NodeKey, text: string, colour: AnnotationColour | null): Promise<void> {
  const { caseId, annotations } = ctx.store.getState();
  if (caseId === null) return;
  const existing = annotations.get(key)?.at(-1);
  await runTask(ctx.store, 'Save note', async (signal) => {
    let saved: AnnotationJson | null;
    if (existing !== undefined && text === '' && colour === null) {
      await ctx.client.deleteAnnotation(caseId, existing.id, { signal });
      saved = null;
    } else if (existing !== undefined) {
      saved = await ctx.client.updateAnnotation(caseId, existing.id, { text, colour }, { signal });
    } else if (text === '' && colour === null) {
      return;
    } else {
      saved = await ctx.client.createAnnotation(caseId, { target: refOfKey(key), text, colour }, { signal });
    }
    ctx.store.setState((s) => {
      const next = new Map(s.annotations);
      const others = (next.get(key) ?? []).filter((a) => a.id !== existing?.id);
      const list = saved === null ? others : [...others, saved];
      if (list.length === 0) next.delete(key);
      else next.set(key, list);
      return { annotations: next };
    });
    postMessage(ctx.store, 'success', saved === null ? 'Note removed.' : 'Note saved.');
  });
}
