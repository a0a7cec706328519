/**
 * A deterministic force-directed layout (Fruchterman and Reingold, "Graph Drawing by
 * Force-directed Placement", Software: Practice and Experience 21(11), 1991): nodes start
 * evenly on a circle in input order, no randomness, a fixed number of cooling steps, and
 * coordinates rounded to 0.1, so the same graph always gives the same picture.
 */

export interface LayoutEdge {
  readonly source: number;
  readonly target: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export function forceLayout(count: number, edges: readonly LayoutEdge[], width: number, height: number, iterations = 300): Point[] {
  if (count === 0) return [];
  const k = Math.sqrt((width * height) / count) * 0.75;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const angle = (2 * Math.PI * i) / count;
    xs[i] = width / 2 + (Math.min(width, height) / 3) * Math.cos(angle);
    ys[i] = height / 2 + (Math.min(width, height) / 3) * Math.sin(angle);
  }
  const dx = new Float64Array(count);
  const dy = new Float64Array(count);
  let temperature = width / 10;
  const cooling = temperature / (iterations + 1);
  for (let step = 0; step < iterations; step++) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        const ddx = (xs[i] as number) - (xs[j] as number);
        const ddy = (ys[i] as number) - (ys[j] as number);
        const distance = Math.max(0.01, Math.hypot(ddx, ddy));
        const force = (k * k) / distance;
        dx[i] = (dx[i] as number) + (ddx / distance) * force;
        dy[i] = (dy[i] as number) + (ddy / distance) * force;
        dx[j] = (dx[j] as number) - (ddx / distance) * force;
        dy[j] = (dy[j] as number) - (ddy / distance) * force;
      }
    }
    for (const { source, target } of edges) {
      const ddx = (xs[source] as number) - (xs[target] as number);
      const ddy = (ys[source] as number) - (ys[target] as number);
      const distance = Math.max(0.01, Math.hypot(ddx, ddy));
      const force = (distance * distance) / k;
      dx[source] = (dx[source] as number) - (ddx / distance) * force;
      dy[source] = (dy[source] as number) - (ddy / distance) * force;
      dx[target] = (dx[target] as number) + (ddx / distance) * force;
      dy[target] = (dy[target] as number) + (ddy / distance) * force;
    }
    for (let i = 0; i < count; i++) {
      // A weak pull to the centre keeps unconnected parts on the canvas.
      dx[i] = (dx[i] as number) + (width / 2 - (xs[i] as number)) * 0.05;
      dy[i] = (dy[i] as number) + (height / 2 - (ys[i] as number)) * 0.05;
      const length = Math.max(0.01, Math.hypot(dx[i] as number, dy[i] as number));
      const move = Math.min(length, temperature);
      xs[i] = (xs[i] as number) + ((dx[i] as number) / length) * move;
      ys[i] = (ys[i] as number) + ((dy[i] as number) / length) * move;
    }
    temperature -= cooling;
  }
  return fitInto(xs, ys, width, height);
}

/** Scales the layout into the canvas with a margin, rounded to 0.1. */
function fitInto(xs: Float64Array, ys: Float64Array, width: number, height: number): Point[] {
  const margin = 0.1;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    minX = Math.min(minX, xs[i] as number);
    maxX = Math.max(maxX, xs[i] as number);
    minY = Math.min(minY, ys[i] as number);
    maxY = Math.max(maxY, ys[i] as number);
  }
  const spanX = Math.max(1, maxX - minX);
  const spanY = Math.max(1, maxY - minY);
  const round = (v: number): number => Math.round(v * 10) / 10;
  return Array.from(xs, (x, i) => ({
    x: round(width * margin + ((x - minX) / spanX) * width * (1 - 2 * margin)),
    y: round(height * margin + (((ys[i] as number) - minY) / spanY) * height * (1 - 2 * margin)),
  }));
}
