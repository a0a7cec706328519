/**
 * Page cursors are the store's own opaque strings; only the store can tell a forged one.
 * In a paged call whose other arguments are already validated, a BadQueryError from the
 * store can only be about the cursor, so it becomes a 400 naming `query.cursor`.
 */
import { ChaintrailError } from '@chaintrail/core';
import { BadRequestError } from '../errors.js';

export async function withCursorField<T>(cursor: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (cursor !== undefined && error instanceof ChaintrailError && error.code === 'CHAINTRAIL_BAD_QUERY') {
      throw new BadRequestError('query.cursor', 'is not a cursor this server handed out; pass back the nextCursor of the previous page unchanged');
    }
    throw error;
  }
}
