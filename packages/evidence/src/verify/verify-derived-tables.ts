/**
 * The tables derived from the transactions: address sums, payments to seized addresses,
 * entities, the cluster links with their justifying transactions, and tags. Sums are
 * recomputed from the raw bytes, never from the other tables; a link is checked against
 * its transaction (both addresses sign inputs of it for common-input ownership; the
 * change address is an output of it for a change heuristic).
 */
import { nodeHasher } from '@chaintrail/chain';
import { classifyScript, fromHex, type Network, type Transaction } from '@chaintrail/core';
import { TABLES, type TableRow } from '../bundle-layout.js';
import type { TxRow } from './verify-chain-tables.js';
import { spentFigures } from './verify-chain-tables.js';
import { loadTable, type VerifyContext } from './verify-context.js';

interface AddressTotals {
  scriptType: string | null;
  received: bigint;
  sent: bigint;
  outputs: number;
  inputs: number;
}

export interface AddressIndex {
  readonly rows: ReadonlyMap<string, { readonly row: TableRow<'addresses'>; readonly line: number }>;
}

/** Addresses of a transaction's inputs, from its parents' bytes or as stated for a declared-absent parent (other inputs whose parent is absent are skipped). */
function inputAddresses(ctx: VerifyContext, tx: Transaction): string[] {
  if (tx.isCoinbase) return [];
  return tx.inputs.flatMap((i) => {
    const spent = spentFigures(ctx, i.prevout.txid, i.prevout.vout);
    return spent?.address ? [spent.address] : [];
  });
}

export async function verifyAddressTable(ctx: VerifyContext, txRows: ReadonlyMap<string, TxRow>): Promise<AddressIndex> {
  const file = TABLES.addresses.file;
  const totals = new Map<string, AddressTotals>();
  const tally = (a: string): AddressTotals => {
    let t = totals.get(a);
    if (!t) totals.set(a, (t = { scriptType: null, received: 0n, sent: 0n, outputs: 0, inputs: 0 }));
    return t;
  };
  // The table's transaction order is chain order; an address's script type is that of its first output in it.
  for (const txid of txRows.keys()) {
    const raw = ctx.raw.get(txid);
    if (!raw) continue;
    if (!raw.tx.isCoinbase) {
      for (const input of raw.tx.inputs) {
        const spent = spentFigures(ctx, input.prevout.txid, input.prevout.vout);
        if (!spent?.address) continue;
        const t = tally(spent.address);
        t.sent += BigInt(spent.value);
        t.inputs++;
      }
    }
    for (const output of raw.tx.outputs) {
      if (output.address === null) continue;
      const t = tally(output.address);
      t.scriptType ??= output.scriptType;
      t.received += BigInt(output.value);
      t.outputs++;
    }
  }
  const rows = new Map<string, { row: TableRow<'addresses'>; line: number }>();
  for (const { row, line } of await loadTable(ctx, 'addresses')) {
    const fail = (message: string): void => ctx.findings.fail({ check: 'addresses', file, line, message: `${row.address}: ${message}` });
    if (rows.has(row.address)) fail(`listed twice (first on line ${rows.get(row.address)?.line})`);
    rows.set(row.address, { row, line });
    const t = totals.get(row.address);
    if (!t) {
      fail('no transaction in the bundle pays or spends from this address');
      continue;
    }
    const expected: [string, string, string][] = [
      ['script_type', t.scriptType ?? '', row.script_type],
      ['received_in_bundle_sat', String(t.received), row.received_in_bundle_sat],
      ['sent_in_bundle_sat', String(t.sent), row.sent_in_bundle_sat],
      ['outputs_in_bundle', String(t.outputs), row.outputs_in_bundle],
      ['inputs_in_bundle', String(t.inputs), row.inputs_in_bundle],
    ];
    for (const [column, actual, claimed] of expected) if (actual !== claimed) fail(`${column} is ${claimed}, the raw transactions give ${actual}`);
  }
  for (const address of totals.keys()) if (!rows.has(address)) ctx.findings.fail({ check: 'addresses', file, message: `${address} is paid or spent in the bundle but has no row` });
  return { rows };
}

export async function verifyPaymentTable(ctx: VerifyContext, txRows: ReadonlyMap<string, TxRow>, addresses: AddressIndex): Promise<number> {
  const file = TABLES.paymentsToSeeds.file;
  const seen = new Set<string>();
  let total = 0;
  for (const { row, line } of await loadTable(ctx, 'paymentsToSeeds')) {
    total++;
    const fail = (message: string): void => ctx.findings.fail({ check: 'payments', file, line, txid: row.txid, message });
    const key = `${row.txid}:${row.vout}`;
    if (seen.has(key)) fail(`output ${row.vout} listed twice`);
    seen.add(key);
    const raw = ctx.raw.get(row.txid);
    const output = raw?.tx.outputs[Number(row.vout)];
    if (!raw || !output) {
      fail(`output ${row.vout} of ${row.txid} is not in the verified raw transactions`);
      continue;
    }
    if (String(output.value) !== row.value_sat) fail(`value_sat is ${row.value_sat}, the raw transaction pays ${output.value}`);
    if (output.address !== row.seed_address) fail(`seed_address is ${row.seed_address}, the raw output pays ${output.address ?? '(no address)'}`);
    const seed = addresses.rows.get(row.seed_address)?.row;
    if (!seed || seed.seed_line === '') fail(`${row.seed_address} is not marked as a seized address in ${TABLES.addresses.file}`);
    else if (seed.seed_line !== row.seed_line || seed.seed_file !== row.seed_file) fail(`seed_file/seed_line ${row.seed_file}:${row.seed_line} differ from ${TABLES.addresses.file} (${seed.seed_file}:${seed.seed_line})`);
    const txRow = txRows.get(row.txid)?.row;
    if (txRow && (txRow.block_height !== row.block_height || txRow.block_time_utc !== row.block_time_utc)) fail(`block_height/block_time_utc differ from ${TABLES.transactions.file}`);
    const payers = [...new Set(inputAddresses(ctx, raw.tx))].sort();
    if (payers.join(' ') !== row.payer_addresses) fail(`payer_addresses are "${row.payer_addresses}", the inputs' parents give "${payers.join(' ')}"`);
    const entities = [...new Set(payers.map((a) => addresses.rows.get(a)?.row.entity_id ?? '').filter((e) => e !== ''))].sort();
    if (entities.join(' ') !== row.payer_entities) fail(`payer_entities are "${row.payer_entities}", the payers' entities in ${TABLES.addresses.file} are "${entities.join(' ')}"`);
  }
  for (const [txid, raw] of ctx.raw) {
    raw.tx.outputs.forEach((o, vout) => {
      if (o.address !== null && (addresses.rows.get(o.address)?.row.seed_line ?? '') !== '' && !seen.has(`${txid}:${vout}`)) {
        ctx.findings.fail({ check: 'payments', file, txid, message: `output ${vout} pays the seized address ${o.address} but is not listed` });
      }
    });
  }
  return total;
}

/** The segwit address a P2SH input's redeem script wraps (BIP141 nested P2WPKH/P2WSH), or null. */
function wrappedAddress(scriptSig: string, network: Network): string | null {
  const nested = (scriptSig.length === 46 && scriptSig.startsWith('160014')) || (scriptSig.length === 70 && scriptSig.startsWith('220020'));
  return nested ? classifyScript(fromHex(scriptSig.slice(2)), { network, hasher: nodeHasher }).address : null;
}

/** Why the link's transaction does not show what its heuristic claims, or null when it does. */
function linkProblem(ctx: VerifyContext, tx: Transaction, row: TableRow<'clusterLinks'>): string | null {
  const ins = new Set(inputAddresses(ctx, tx));
  const heuristic = row.heuristic;
  if (heuristic === 'cioh') {
    const absent = [row.address_a, row.address_b].filter((a) => !ins.has(a));
    return absent.length === 0 ? null : `${absent.join(' and ')} ${absent.length === 1 ? 'is' : 'are'} not among the input addresses of ${tx.txid} (from its parents' bytes)`;
  }
  if (heuristic === 'cioh:p2sh-wrapped') {
    const wraps = tx.inputs.some((input) => spentFigures(ctx, input.prevout.txid, input.prevout.vout)?.address === row.address_a && wrappedAddress(input.scriptSig, ctx.network) === row.address_b);
    return wraps ? null : `no input of ${tx.txid} spends from ${row.address_a} with a redeem script wrapping ${row.address_b}`;
  }
  if (heuristic.startsWith('change:')) {
    if (!ins.has(row.address_a)) return `${row.address_a} is not among the input addresses of ${tx.txid}`;
    return tx.outputs.some((o) => o.address === row.address_b) ? null : `${row.address_b} is not an output address of ${tx.txid}`;
  }
  return `heuristic "${heuristic}" is not one this verifier knows how to check`;
}

export async function verifyEntitiesAndLinks(ctx: VerifyContext, addresses: AddressIndex): Promise<number> {
  const linkFile = TABLES.clusterLinks.file;
  const linksPerEntity = new Map<string, number>();
  const versions = new Map((ctx.manifest?.heuristics ?? []).map((h) => [h.name, h.version]));
  let links = 0;
  for (const { row, line } of await loadTable(ctx, 'clusterLinks')) {
    links++;
    const fail = (message: string): void => ctx.findings.fail({ check: 'links', file: linkFile, line, txid: row.justifying_txid, message });
    linksPerEntity.set(row.entity_id, (linksPerEntity.get(row.entity_id) ?? 0) + 1);
    for (const a of [row.address_a, row.address_b]) {
      const entity = addresses.rows.get(a)?.row.entity_id;
      if (entity !== row.entity_id) fail(`${a} is in entity ${entity ?? '(not in the address table)'}, the link says ${row.entity_id}`);
    }
    if (versions.has(row.heuristic) && String(versions.get(row.heuristic) ?? '') !== row.heuristic_version) fail(`heuristic_version ${row.heuristic_version} differs from the manifest's ${String(versions.get(row.heuristic))} for ${row.heuristic}`);
    const raw = ctx.raw.get(row.justifying_txid);
    if (!raw) {
      fail(`the justifying transaction ${row.justifying_txid} is not among the verified raw transactions`);
      continue;
    }
    const problem = linkProblem(ctx, raw.tx, row);
    if (problem !== null) fail(problem);
  }

  const file = TABLES.entities.file;
  const members = new Map<string, number>();
  for (const { row } of addresses.rows.values()) if (row.entity_id !== '') members.set(row.entity_id, (members.get(row.entity_id) ?? 0) + 1);
  const seen = new Set<string>();
  for (const { row, line } of await loadTable(ctx, 'entities')) {
    const fail = (message: string): void => ctx.findings.fail({ check: 'entities', file, line, message: `entity ${row.entity_id}: ${message}` });
    if (seen.has(row.entity_id)) fail('listed twice');
    seen.add(row.entity_id);
    if (row.addresses_in_bundle !== String(members.get(row.entity_id) ?? 0)) fail(`addresses_in_bundle is ${row.addresses_in_bundle}, ${TABLES.addresses.file} has ${members.get(row.entity_id) ?? 0}`);
    if (row.links_in_bundle !== String(linksPerEntity.get(row.entity_id) ?? 0)) fail(`links_in_bundle is ${row.links_in_bundle}, ${linkFile} has ${linksPerEntity.get(row.entity_id) ?? 0}`);
  }
  for (const id of members.keys()) if (!seen.has(id)) ctx.findings.fail({ check: 'entities', file, message: `entity ${id} of ${TABLES.addresses.file} has no row` });
  return links;
}

export async function verifyTagTable(ctx: VerifyContext, addresses: AddressIndex): Promise<number> {
  const file = TABLES.tags.file;
  const perSource = new Map<string, number>();
  let total = 0;
  for (const { row, line } of await loadTable(ctx, 'tags')) {
    total++;
    const fail = (message: string): void => ctx.findings.fail({ check: 'tags', file, line, message: `${row.address}: ${message}` });
    perSource.set(row.source, (perSource.get(row.source) ?? 0) + 1);
    const address = addresses.rows.get(row.address)?.row;
    if (!address) fail(`tagged address is not in ${TABLES.addresses.file}`);
    else if (address.entity_id !== row.entity_id) fail(`entity_id is ${row.entity_id}, ${TABLES.addresses.file} says ${address.entity_id}`);
  }
  if (ctx.manifest) {
    const declared = new Map(ctx.manifest.tagSources.map((s) => [s.source, s.tags]));
    for (const [source, count] of perSource) {
      if (declared.get(source) !== count) ctx.findings.fail({ check: 'tags', file, message: `${count} tags from source "${source}", the manifest's tag sources say ${declared.get(source) ?? 'none'}` });
    }
    for (const [source, count] of declared) if (!perSource.has(source) && count > 0) ctx.findings.fail({ check: 'tags', file, message: `the manifest lists ${count} tags from "${source}", the table none` });
  }
  return total;
}
