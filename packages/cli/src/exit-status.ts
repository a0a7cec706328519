/**
 * Exit statuses per kind of failure, so scripts can tell a bad input file from an
 * unreachable chain source without parsing messages. Codes come from the `code` of
 * chaintrail's error classes; anything unknown is a bug and exits 1.
 */
export const ExitStatus = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  badInput: 3,
  notFound: 4,
  sourceUnavailable: 5,
  storeUnavailable: 6,
  interrupted: 130,
} as const;

export type ExitStatusValue = (typeof ExitStatus)[keyof typeof ExitStatus];

const byCodeFragment: readonly (readonly [RegExp, ExitStatusValue])[] = [
  [/^CHAINTRAIL_USAGE/, ExitStatus.usage],
  [/^CHAINTRAIL_INTERRUPTED$/, ExitStatus.interrupted],
  [/^CHAINTRAIL_(NOT_A_STORE|BAD_STORE_SPEC)/, ExitStatus.storeUnavailable],
  [/^CHAINTRAIL_NOT_FOUND/, ExitStatus.notFound],
  [/^CHAINTRAIL_SOURCE_/, ExitStatus.sourceUnavailable],
  [/^CHAINTRAIL_STORE_/, ExitStatus.storeUnavailable],
  [/^CHAINTRAIL_(BAD|WRONG|TX_MISMATCH|UNRESOLVED|INVALID|MIXED_CASE)/, ExitStatus.badInput],
];

export function exitStatusForCode(code: string | undefined): ExitStatusValue {
  if (code === undefined) return ExitStatus.unexpected;
  for (const [pattern, status] of byCodeFragment) if (pattern.test(code)) return status;
  return ExitStatus.unexpected;
}
