/** The projected graph and its marks, recomputed when the model, filters or case context change. */
import { useMemo } from 'react';
import { projectGraph, type DisplayGraph } from '../graph/graph-projection.js';
import { marksOf } from '../state/annotation-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import type { SceneMarks } from '../render/scene.js';

export function useDisplayGraph(): DisplayGraph {
  const model = useViewerStore((s) => s.model);
  const graphVersion = useViewerStore((s) => s.graphVersion);
  const filters = useViewerStore((s) => s.filters);
  const seeds = useViewerStore((s) => s.seedSet);
  const siteEntities = useViewerStore((s) => s.siteEntities);
  const selection = useViewerStore((s) => s.selection);
  const pathNodes = useViewerStore((s) => s.path?.nodes);
  return useMemo(
    () => projectGraph(model, filters, { seeds, siteEntities }, new Set([...selection, ...(pathNodes ?? [])])),
    // graphVersion stands for the mutable model's content.
    [model, graphVersion, filters, seeds, siteEntities, selection, pathNodes],
  );
}

export function useSceneMarks(): SceneMarks {
  const selection = useViewerStore((s) => s.selection);
  const path = useViewerStore((s) => s.path);
  const annotations = useViewerStore((s) => s.annotations);
  return useMemo(
    () => ({ selected: selection, pathNodes: path?.nodes ?? new Set(), pathEdges: path?.edges ?? new Set(), annotations: marksOf(annotations), hover: null }),
    [selection, path, annotations],
  );
}
