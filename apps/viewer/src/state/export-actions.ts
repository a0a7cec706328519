/** Exports: the current view as PNG and SVG, the drawn subgraph as CSV and GraphML. */
import { exportFileName, saveBlob } from '../export/download.js';
import { edgesCsv, nodesCsv } from '../export/graph-csv.js';
import { graphml } from '../export/graph-graphml.js';
import type { ExportContext } from '../export/node-columns.js';
import { svgOfView } from '../export/svg-export.js';
import { formatBtc } from '../graph/btc-amount.js';
import { isoTime } from '../export/node-columns.js';
import { drawScene } from '../render/canvas-renderer.js';
import { drawLegendAndCaption } from '../render/canvas-legend.js';
import { marksOf } from './annotation-actions.js';
import type { ViewerContext } from './viewer-context.js';
import { postMessage } from './viewer-store.js';

export type ExportFormat = 'png' | 'svg' | 'nodes.csv' | 'edges.csv' | 'graphml';

/** What a figure says about itself: case, time of export, filters, counts. */
export function captionLines(ctx: ViewerContext): string[] {
  const state = ctx.store.getState();
  const caseName = state.cases?.find((c) => c.id === state.caseId)?.name ?? 'case';
  const { display } = ctx.canvas.scene();
  const filters: string[] = [];
  if (state.filters.fromTime !== null) filters.push(`from ${isoTime(state.filters.fromTime)}`);
  if (state.filters.toTime !== null) filters.push(`to ${isoTime(state.filters.toTime)}`);
  if (state.filters.minValue !== null) filters.push(`payments of at least ${formatBtc(state.filters.minValue)} BTC`);
  return [
    `chaintrail — case "${caseName}"${state.currentView !== null ? `, view "${state.currentView.name}"` : ''}`,
    `exported ${new Date().toISOString()}; ${display.nodes.length} nodes, ${display.edges.length} edges; amounts in BTC`,
    ...(filters.length > 0 ? [`filters: ${filters.join(', ')}`] : []),
  ];
}

function caseName(ctx: ViewerContext): string {
  const state = ctx.store.getState();
  return state.cases?.find((c) => c.id === state.caseId)?.name ?? 'case';
}

function exportContext(ctx: ViewerContext): ExportContext {
  const scene = ctx.canvas.scene();
  return { display: scene.display, positions: scene.positions, annotations: marksOf(ctx.store.getState().annotations) };
}

export async function exportView(ctx: ViewerContext, format: ExportFormat): Promise<void> {
  const name = exportFileName(caseName(ctx), format);
  try {
    switch (format) {
      case 'png': {
        const viewport = ctx.canvas.viewport();
        const dpr = 2;
        const canvas = document.createElement('canvas');
        canvas.width = Math.round(viewport.width * dpr);
        canvas.height = Math.round(viewport.height * dpr);
        const context = canvas.getContext('2d');
        if (context === null) throw new Error('this browser gives no 2D canvas');
        drawScene(context, ctx.canvas.scene(), { ...viewport, dpr });
        drawLegendAndCaption(context, viewport.height, dpr, captionLines(ctx));
        const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
        if (blob === null) throw new Error('the browser could not encode the PNG');
        saveBlob(blob, name);
        break;
      }
      case 'svg':
        saveBlob(new Blob([svgOfView(ctx.canvas.scene(), ctx.canvas.viewport(), captionLines(ctx))], { type: 'image/svg+xml' }), name);
        break;
      case 'nodes.csv':
        saveBlob(new Blob([nodesCsv(exportContext(ctx))], { type: 'text/csv' }), name);
        break;
      case 'edges.csv':
        saveBlob(new Blob([edgesCsv(exportContext(ctx))], { type: 'text/csv' }), name);
        break;
      case 'graphml':
        saveBlob(new Blob([graphml(exportContext(ctx), captionLines(ctx).join('; '))], { type: 'application/graphml+xml' }), name);
        break;
    }
    postMessage(ctx.store, 'success', `Exported ${name}.`);
  } catch (error) {
    postMessage(ctx.store, 'error', `Export as ${format} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
