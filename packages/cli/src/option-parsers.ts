import { InvalidArgumentError } from '@commander-js/extra-typings';
import { CHANGE_HEURISTICS, type ChangeHeuristicName } from '@chaintrail/core';

/** Commander argument parsers that reject bad values with the flag's name. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError(`${flag} takes a whole number of at least 1, not "${value}".`);
    return Number(value);
  };
}

export function nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${flag} takes a whole number (0 or more), not "${value}".`);
    return Number(value);
  };
}

/** A comma-separated list whose items must be among `allowed`. */
export function listOf<T extends string>(flag: string, allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const items = value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    for (const item of items) {
      if (!allowed.includes(item as T)) throw new InvalidArgumentError(`${flag}: unknown "${item}"; choose from ${allowed.join(', ')}.`);
    }
    return items as T[];
  };
}

export const CHANGE_HEURISTIC_NAMES = Object.keys(CHANGE_HEURISTICS) as ChangeHeuristicName[];

/** `--change-heuristics a,b`: names from METHODS.md ("Change heuristics"). */
export const changeHeuristicList = listOf('--change-heuristics', CHANGE_HEURISTIC_NAMES);
