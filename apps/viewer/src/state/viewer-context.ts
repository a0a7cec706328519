/** What every action works with once signed in: the state, the API, the detail loader, the canvas. */
import type { ApiClient } from '../api/api-client.js';
import type { CanvasBridge } from './canvas-bridge.js';
import type { DetailLoader } from './detail-loader.js';
import type { ViewerStore } from './viewer-store.js';

export interface ViewerContext {
  readonly store: ViewerStore;
  readonly client: ApiClient;
  readonly details: DetailLoader;
  canvas: CanvasBridge;
}
