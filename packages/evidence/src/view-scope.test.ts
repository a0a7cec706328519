import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@chaintrail/store';
import { viewNodes } from './view-scope.js';

/**
 * fixtures/viewer-saved-view.json is the output of the viewer's own serialiser,
 * `serialiseView` in apps/viewer/src/state/saved-view.ts (format version 1), run under tsx
 * on a GraphModel with a seed address (pinned, drawn), a transaction expanded from it (drawn,
 * selected), an entity node, and a member address of that entity which the investigator hid.
 */
const viewerState = JSON.parse(readFileSync(new URL('./fixtures/viewer-saved-view.json', import.meta.url), 'utf8')) as JsonValue;

describe('nodes of a saved view', () => {
  it("reads the viewer's saved-view tuples: kind and id of each node, leaving out the nodes the investigator hid", () => {
    expect(viewNodes(viewerState)).toEqual({
      nodes: [
        { kind: 'address', id: '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3' },
        { kind: 'tx', id: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16' },
        { kind: 'entity', id: 'E000001' },
      ],
      hidden: 1,
    });
  });

  it('finds every {kind, id} node of other view states wherever it sits, once each, and nothing else', () => {
    const state: JsonValue = {
      nodes: [
        { kind: 'address', id: '1A', x: 10, y: 20 },
        { kind: 'tx', id: 'ab'.repeat(32), pinned: true },
      ],
      groups: [{ members: [{ kind: 'entity', id: 'E1' }, { kind: 'address', id: '1A' }] }],
      selection: { kind: 'address', id: '1B' },
      filters: { kind: 'time', id: 'not-a-node' },
      label: { kind: 'address', id: '' },
    };
    expect(viewNodes(state)).toEqual({
      nodes: [
        { kind: 'address', id: '1A' },
        { kind: 'tx', id: 'ab'.repeat(32) },
        { kind: 'entity', id: 'E1' },
        { kind: 'address', id: '1B' },
      ],
      hidden: 0,
    });
  });
});
