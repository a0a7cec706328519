import { ChaintrailError } from '@chaintrail/core';

/** A command line that cannot work as given (bad flag value, missing argument). */
export class UsageError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_USAGE', `${detail}. Run the command with --help for its options and examples.`);
  }
}

/** No case of that name in the store. */
export class CaseNotFoundError extends ChaintrailError {
  constructor(name: string, where: string) {
    super('CHAINTRAIL_NOT_FOUND_CASE', `No case named "${name}" in ${where}. Create it with \`chaintrail case create ${name}\`, or list cases with \`chaintrail case list\`.`);
  }
}

/** `case create` with a name already taken in the store. */
export class CaseExistsError extends ChaintrailError {
  constructor(name: string, where: string) {
    super('CHAINTRAIL_USAGE_CASE_EXISTS', `A case named "${name}" already exists in ${where}. Pick another name, or work on it with --case ${name}.`);
  }
}

/** Case names become file names of the default store, so they are kept to a safe alphabet. */
export class BadCaseNameError extends ChaintrailError {
  constructor(name: string) {
    super('CHAINTRAIL_BAD_CASE_NAME', `Invalid case name "${name}": use 1 to 64 letters, digits, dots, dashes and underscores, starting with a letter or digit.`);
  }
}

/** `veto remove` of a transaction the case has no veto of. */
export class VetoNotFoundError extends ChaintrailError {
  constructor(caseName: string, txid: string) {
    super('CHAINTRAIL_NOT_FOUND_VETO', `Case "${caseName}" has no veto of transaction ${txid}. List its vetoes with \`chaintrail veto list --case ${caseName}\`.`);
  }
}
