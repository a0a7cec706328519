import type { ChaintrailError } from '@chaintrail/core';

/** The error `promise` rejects with; fails the test when it resolves instead. */
export async function caught(promise: Promise<unknown>): Promise<ChaintrailError> {
  try {
    await promise;
  } catch (error) {
    return error as ChaintrailError;
  }
  throw new Error('Expected a rejection, but the promise resolved.');
}
