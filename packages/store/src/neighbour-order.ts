/**
 * The order of neighbour lists, shared by every store so paging and limits cut the same
 * list: by first carrying block time (unconfirmed last) or by value (largest first), ties by
 * node id, node kind, then direction.
 */
import type { Neighbour } from './graph-store.js';

export function compareNeighbours(order: 'time' | 'value'): (a: Neighbour, b: Neighbour) => number {
  return (a, b) => {
    if (order === 'time') {
      if (a.firstTime !== b.firstTime) {
        if (a.firstTime === null) return 1;
        if (b.firstTime === null) return -1;
        return a.firstTime - b.firstTime;
      }
    } else if (a.value !== b.value) {
      return a.value > b.value ? -1 : 1;
    }
    return compareText(a.node.id, b.node.id) || compareText(a.node.kind, b.node.kind) || compareText(a.direction, b.direction);
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
