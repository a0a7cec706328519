/** The API's schemas and the store types the route tests compare with, in one import. */
export * from '@chaintrail/api';
export type { Neighbour } from '@chaintrail/store';
