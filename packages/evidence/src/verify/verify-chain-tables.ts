/**
 * transactions.csv, inputs.csv and outputs.csv against the raw transactions: every figure
 * re-read from the bytes (an input's address and amount from its parent's bytes), every
 * block placement against its merkle proof and header, and every transaction, input and
 * output of the raw files present in the tables exactly once.
 */
import type { ScriptType, TxOutput } from '@chaintrail/core';
import { INPUT_NOT_CITED, MANIFEST_FILE, TABLES, TX_ROLES, merkleProofPath, rawTxPath, type TableRow } from '../bundle-layout.js';
import { utc } from '../build-tables.js';
import { parseCsvTable } from '../csv-table.js';
import type { HeaderIndex, VerifiedProof } from './verify-proofs.js';
import { intCell, loadTable, type RawTx, type SpentOutput, type VerifyContext } from './verify-context.js';

export interface TxRow {
  readonly row: TableRow<'transactions'>;
  readonly line: number;
}

const yesNo = (v: boolean): string => (v ? 'yes' : 'no');

/** The output an input spends, read from its parent's raw bytes; undefined when the parent is not in the bundle. */
export function spentOutput(ctx: VerifyContext, prevTxid: string, prevVout: number): TxOutput | undefined | null {
  const parent = ctx.raw.get(prevTxid);
  if (!parent) return undefined;
  return parent.tx.outputs[prevVout] ?? null;
}

/**
 * What an input spends for the sums and lists built on it: the parent's raw bytes, else the
 * figures inputs.csv states for a parent the manifest declares absent (reported, where they
 * are stated, as not recomputable).
 */
export function spentFigures(ctx: VerifyContext, prevTxid: string, prevVout: number): SpentOutput | undefined | null {
  return spentOutput(ctx, prevTxid, prevVout) ?? ctx.claimed.get(`${prevTxid}:${prevVout}`)?.output;
}

/**
 * The inputs whose parent the manifest declares absent (parents.absent), checked against
 * the raw transactions, with the figures inputs.csv states for them. Problems with the
 * table itself are named by the inputs check.
 */
export async function loadDeclaredAbsentParents(ctx: VerifyContext): Promise<void> {
  const absent = ctx.manifest?.parents.absent ?? [];
  if (absent.length === 0 || !ctx.reader.has(TABLES.inputs.file)) return;
  const parsed = parseCsvTable('inputs', (await ctx.reader.read(TABLES.inputs.file)).toString('utf8'));
  const rows = new Map(parsed.rows.map(({ row }) => [`${row.txid}:${row.vin}`, row]));
  for (const declared of absent) {
    const fail = (message: string): void => ctx.findings.fail({ check: 'manifest', file: MANIFEST_FILE, txid: declared.txid, message: `parents.absent: ${message}` });
    const input = ctx.raw.get(declared.txid)?.tx.inputs[declared.vin];
    if (!input) fail(`names input ${declared.vin} of ${declared.txid}, which is not among the verified raw transactions`);
    else if (input.prevout.txid !== declared.parentTxid) fail(`says input ${declared.vin} of ${declared.txid} spends from ${declared.parentTxid}, its raw bytes say ${input.prevout.txid}`);
    else if (ctx.raw.has(declared.parentTxid)) fail(`declares the parent ${declared.parentTxid} absent, yet it is in the bundle`);
    else {
      const row = rows.get(`${declared.txid}:${declared.vin}`);
      const value = row?.resolved === 'yes' ? intCell(row.value_sat) : undefined;
      if (row === undefined || value === null || value === undefined) continue;
      const output = { value: Number(value), address: row.address === '' ? null : row.address, scriptType: row.script_type as ScriptType };
      ctx.claimed.set(`${input.prevout.txid}:${input.prevout.vout}`, { output, parentTxid: declared.parentTxid, reason: declared.reason });
    }
  }
}

export async function verifyTransactionTable(ctx: VerifyContext, headers: HeaderIndex, proofs: ReadonlyMap<string, VerifiedProof>): Promise<Map<string, TxRow>> {
  const file = TABLES.transactions.file;
  const rows = new Map<string, TxRow>();
  const declaredMissing = new Map((ctx.manifest?.proofs.merkle.missing ?? []).map((m) => [m.txid, m.reason]));
  for (const { row, line } of await loadTable(ctx, 'transactions')) {
    const fail = (message: string): void => ctx.findings.fail({ check: 'transactions', file, line, txid: row.txid, message });
    if (rows.has(row.txid)) {
      fail(`transaction listed twice (first on line ${rows.get(row.txid)?.line})`);
      continue;
    }
    rows.set(row.txid, { row, line });
    const raw = ctx.raw.get(row.txid);
    if (!raw) {
      if (!ctx.reader.has(rawTxPath(row.txid))) fail(`its raw transaction ${rawTxPath(row.txid)} is not in the bundle`);
      continue;
    }
    checkTxFigures(ctx, raw, row, fail, (message) => ctx.findings.unrecomputable({ check: 'transactions', file, line, txid: row.txid, message }));
    const roles = row.roles.split(';');
    if (row.roles === '' || roles.some((r) => !(TX_ROLES as readonly string[]).includes(r))) fail(`roles "${row.roles}" are not among ${TX_ROLES.join(', ')}`);
    checkPlacement(ctx, row, headers, proofs.get(row.txid), declaredMissing.get(row.txid), fail, line);
  }
  for (const [txid, raw] of ctx.raw) if (!rows.has(txid)) ctx.findings.fail({ check: 'transactions', file: raw.file, txid, message: `has no row in ${file}` });
  return rows;
}

function checkTxFigures(ctx: VerifyContext, raw: RawTx, row: TableRow<'transactions'>, fail: (message: string) => void, unproven: (message: string) => void): void {
  const { tx } = raw;
  const outTotal = tx.outputs.reduce((s, o) => s + BigInt(o.value), 0n);
  const expected: [string, string, string][] = [
    ['version', String(tx.version), row.version],
    ['locktime', String(tx.locktime), row.locktime],
    ['size_byte', String(tx.size), row.size_byte],
    ['vsize_vbyte', String(tx.vsize), row.vsize_vbyte],
    ['weight_wu', String(tx.weight), row.weight_wu],
    ['input_count', String(tx.inputs.length), row.input_count],
    ['output_count', String(tx.outputs.length), row.output_count],
    ['output_total_sat', String(outTotal), row.output_total_sat],
    ['coinbase', yesNo(tx.isCoinbase), row.coinbase],
  ];
  for (const [column, actual, claimed] of expected) if (actual !== claimed) fail(`${column} is ${claimed}, the raw transaction says ${actual}`);
  const spent = tx.isCoinbase ? [] : tx.inputs.map((i) => spentFigures(ctx, i.prevout.txid, i.prevout.vout));
  const claimedIn = intCell(row.input_total_sat);
  const claimedFee = intCell(row.fee_sat);
  if (claimedIn === undefined || claimedFee === undefined) {
    fail('input_total_sat and fee_sat must be whole numbers of satoshis or empty');
    return;
  }
  const complete = !tx.isCoinbase && spent.every((o) => o !== undefined && o !== null);
  if (claimedIn === null) {
    if (complete) fail('input_total_sat is empty, yet every parent is in the bundle');
    if (claimedFee !== null) fail('fee_sat is given without an input total');
    return;
  }
  if (!complete) {
    const missing = tx.inputs.find((_, i) => spent[i] === undefined || spent[i] === null);
    fail(`input_total_sat ${claimedIn} cannot be recomputed: the output ${missing?.prevout.txid}:${missing?.prevout.vout} it spends is not in the bundle`);
    return;
  }
  const inTotal = spent.reduce((s, o) => s + BigInt(o?.value ?? 0), 0n);
  if (inTotal !== claimedIn) fail(`input_total_sat is ${claimedIn}, the spent outputs add up to ${inTotal}`);
  if (claimedFee !== inTotal - outTotal) fail(`fee_sat is ${claimedFee}, inputs minus outputs is ${inTotal - outTotal}`);
  const absent = tx.inputs.find((i) => !ctx.raw.has(i.prevout.txid));
  if (absent) unproven(`input_total_sat ${claimedIn} and fee_sat ${claimedFee} not recomputable: parent tx ${absent.prevout.txid} absent from the bundle (declared in the manifest's parents.absent)`);
}

function checkPlacement(
  ctx: VerifyContext,
  row: TableRow<'transactions'>,
  headers: HeaderIndex,
  proof: VerifiedProof | undefined,
  declared: string | undefined,
  fail: (message: string) => void,
  line: number,
): void {
  if (row.merkle_proof === 'included') {
    if (!proof) {
      // A proof that is present but fails was named by the merkle check already.
      if (!ctx.findings.failures.some((f) => f.check === 'merkle' && f.txid === row.txid)) fail(`merkle_proof says included, but ${merkleProofPath(row.block_hash)} holds no proof of it`);
      return;
    }
    if (row.block_hash !== proof.blockHash) fail(`block_hash is ${row.block_hash}, its merkle proof is for block ${proof.blockHash}`);
    if (row.block_height !== String(proof.blockHeight)) fail(`block_height is ${row.block_height}, its proven block is at ${proof.blockHeight}`);
    if (row.position_in_block !== String(proof.pos)) fail(`position_in_block is ${row.position_in_block}, its merkle proof says ${proof.pos}`);
    const header = headers.byHash.get(proof.blockHash);
    if (header && row.block_time_utc !== utc(header.header.time)) fail(`block_time_utc is ${row.block_time_utc}, block ${proof.blockHash}'s header says ${utc(header.header.time)}`);
    return;
  }
  if (row.merkle_proof !== 'missing') {
    fail(`merkle_proof is "${row.merkle_proof}", expected included or missing`);
    return;
  }
  if (proof) fail('merkle_proof says missing, yet the bundle holds a valid proof for it');
  else if (declared === undefined) fail('has no merkle proof, and the manifest does not declare it missing');
  else {
    const what = row.block_hash === '' ? 'unconfirmed as far as the bundle shows' : `placed in block ${row.block_hash} by the chain source, without proof`;
    ctx.findings.gap({ check: 'transactions', file: TABLES.transactions.file, line, txid: row.txid, message: `not proven to be in the chain: ${what} (declared: ${declared})` });
  }
}

export async function verifyInputTable(ctx: VerifyContext, txRows: ReadonlyMap<string, TxRow>): Promise<void> {
  const file = TABLES.inputs.file;
  const seen = new Set<string>();
  for (const { row, line } of await loadTable(ctx, 'inputs')) {
    const fail = (message: string): void => ctx.findings.fail({ check: 'inputs', file, line, txid: row.txid, message });
    const key = `${row.txid}:${row.vin}`;
    if (seen.has(key)) fail(`input ${row.vin} listed twice`);
    seen.add(key);
    const raw = ctx.raw.get(row.txid);
    if (!raw) {
      fail('its transaction is not among the verified raw transactions');
      continue;
    }
    const input = raw.tx.inputs[Number(row.vin)];
    if (!/^\d+$/.test(row.vin) || !input) {
      fail(`the transaction has no input ${row.vin}`);
      continue;
    }
    if (input.prevout.txid !== row.prev_txid || String(input.prevout.vout) !== row.prev_vout) fail(`spends ${row.prev_txid}:${row.prev_vout} by the table, ${input.prevout.txid}:${input.prevout.vout} by the raw transaction`);
    if (String(input.sequence) !== row.sequence) fail(`sequence is ${row.sequence}, the raw transaction says ${input.sequence}`);
    const spent = raw.tx.isCoinbase ? undefined : spentOutput(ctx, input.prevout.txid, input.prevout.vout);
    if (row.resolved === 'yes') {
      const claim = ctx.claimed.get(`${input.prevout.txid}:${input.prevout.vout}`);
      if (spent === undefined && claim) {
        ctx.findings.unrecomputable({ check: 'inputs', file, line, txid: row.txid, message: `address ${row.address} and value_sat ${row.value_sat} not recomputable: parent tx ${claim.parentTxid} absent from the bundle (declared: ${claim.reason})` });
      } else if (spent === undefined) fail(`claims address ${row.address} and ${row.value_sat} sat, but the parent ${input.prevout.txid} is not in the bundle to prove it`);
      else if (spent === null) fail(`the parent ${input.prevout.txid} has no output ${input.prevout.vout}`);
      else {
        if (String(spent.value) !== row.value_sat) fail(`value_sat is ${row.value_sat}, the output it spends holds ${spent.value}`);
        if ((spent.address ?? '') !== row.address) fail(`address is ${row.address}, the output it spends pays ${spent.address ?? '(no address)'}`);
        if (spent.scriptType !== row.script_type) fail(`script_type is ${row.script_type}, the output it spends is ${spent.scriptType}`);
      }
    } else if (row.resolved === 'no') {
      if (row.address !== '' || row.value_sat !== '' || row.script_type !== '') fail('an unresolved input must leave address, value and script type empty');
      if (spent !== undefined) fail('marked unresolved, yet the parent is in the bundle');
    } else if (row.resolved === INPUT_NOT_CITED) {
      if (row.address !== '' || row.value_sat !== '' || row.script_type !== '') fail(`an input marked ${INPUT_NOT_CITED} must leave address, value and script type empty`);
      if (spent !== undefined) fail(`marked ${INPUT_NOT_CITED}, yet its parent is in the bundle, so its figures must be stated`);
      const roles = txRows.get(row.txid)?.row.roles;
      if (roles !== undefined && roles !== 'parent') fail(`marked ${INPUT_NOT_CITED}, yet its transaction is a finding (roles ${roles}): its figures must be stated`);
    } else fail(`resolved is "${row.resolved}", expected yes, no or ${INPUT_NOT_CITED}`);
  }
  for (const [txid, raw] of ctx.raw) {
    raw.tx.inputs.forEach((_, vin) => {
      if (!seen.has(`${txid}:${vin}`)) ctx.findings.fail({ check: 'inputs', file, txid, message: `input ${vin} of ${txid} has no row` });
    });
  }
}

export async function verifyOutputTable(ctx: VerifyContext): Promise<void> {
  const file = TABLES.outputs.file;
  const seen = new Set<string>();
  const spenders = new Map<string, string>();
  for (const [txid, raw] of ctx.raw) raw.tx.inputs.forEach((i, vin) => spenders.set(`${i.prevout.txid}:${i.prevout.vout}`, `${txid}:${vin}`));
  for (const { row, line } of await loadTable(ctx, 'outputs')) {
    const fail = (message: string): void => ctx.findings.fail({ check: 'outputs', file, line, txid: row.txid, message });
    const key = `${row.txid}:${row.vout}`;
    if (seen.has(key)) fail(`output ${row.vout} listed twice`);
    seen.add(key);
    const raw = ctx.raw.get(row.txid);
    if (!raw) {
      fail('its transaction is not among the verified raw transactions');
      continue;
    }
    const output = raw.tx.outputs[Number(row.vout)];
    if (!/^\d+$/.test(row.vout) || !output) {
      fail(`the transaction has no output ${row.vout}`);
      continue;
    }
    if (String(output.value) !== row.value_sat) fail(`value_sat is ${row.value_sat}, the raw transaction pays ${output.value}`);
    if ((output.address ?? '') !== row.address) fail(`address is ${row.address}, the raw transaction pays ${output.address ?? '(no address)'}`);
    if (output.scriptType !== row.script_type) fail(`script_type is ${row.script_type}, the raw output is ${output.scriptType}`);
    const spentIn = spenders.get(key);
    if (row.spent_by_txid === '' && spentIn !== undefined) fail(`spent_by is empty, yet ${spentIn} in the bundle spends it`);
    if (row.spent_by_txid !== '') {
      const spender = ctx.raw.get(row.spent_by_txid)?.tx.inputs[Number(row.spent_by_vin)];
      if (!spender) fail(`spent_by ${row.spent_by_txid}:${row.spent_by_vin} is not an input of a transaction in the bundle`);
      else if (spender.prevout.txid !== row.txid || String(spender.prevout.vout) !== row.vout) fail(`input ${row.spent_by_vin} of ${row.spent_by_txid} spends ${spender.prevout.txid}:${spender.prevout.vout}, not this output`);
    }
  }
  for (const [txid, raw] of ctx.raw) {
    raw.tx.outputs.forEach((_, vout) => {
      if (!seen.has(`${txid}:${vout}`)) ctx.findings.fail({ check: 'outputs', file, txid, message: `output ${vout} of ${txid} has no row` });
    });
  }
}
