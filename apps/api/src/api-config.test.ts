import { describe, expect, it } from 'vitest';
import { API_LIMIT_DEFAULTS, RATE_LIMIT_DEFAULTS, apiLimitsSchema } from './api-config.js';

describe('API limits', () => {
  it('pins the defaults', () => {
    expect(API_LIMIT_DEFAULTS).toEqual({
      maxPageSize: 1000,
      defaultPageSize: 100,
      maxNeighbours: 2000,
      defaultNeighbours: 100,
      maxSearchResults: 200,
      maxPathHops: 8,
      maxPathVisited: 200_000,
      maxFlowTxids: 1000,
      maxTagImport: 10_000,
      bodyLimitBytes: 1024 * 1024,
    });
    expect(RATE_LIMIT_DEFAULTS).toEqual({ max: 1200, windowSeconds: 60 });
  });

  it('refuses limits beyond what the stores allow, and unknown settings', () => {
    expect(() => apiLimitsSchema.parse({ maxPathHops: 13 })).toThrow();
    expect(() => apiLimitsSchema.parse({ maxPageSize: 20_000 })).toThrow();
    expect(() => apiLimitsSchema.parse({ maxPagesize: 10 })).toThrow();
  });
});
