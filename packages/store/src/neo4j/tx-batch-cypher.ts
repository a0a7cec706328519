/**
 * The Cypher of a transaction batch write (./tx-batch-writer.ts), one statement per step.
 *
 * Integers travel as JS numbers (Bolt FLOATs) and are turned into INTEGERs by `toInteger`
 * on the server: the driver packs a float in a few bytes, while each bigint went through
 * a string and a 64-bit Integer object, a fifth of the client's CPU per transaction. Every
 * such value is a safe integer (satoshis stay below 2^51), so the float is exact;
 * ./tx-batch-columns.ts checks it.
 */

export const existingTxs = `
  UNWIND $txids AS txid
  MATCH (t:Tx {txid: txid})
  RETURN t.txid AS txid, t.blockHash AS blockHash, t.height AS height, t.time AS time, t.position AS position`;

export const setPlacements = `
  UNWIND $rows AS r
  MATCH (t:Tx {txid: r.txid})
  SET t.blockHash = r.blockHash, t.height = r.height, t.time = r.time, t.position = r.position`;

/** Whether earlier batches left children waiting for parents, or tags waiting for addresses. */
export const pendingWork = `
  CALL () { MATCH (m:MissingTx) RETURN count(m) AS missing }
  CALL () { MATCH (g:Tag) RETURN count(g) AS tags }
  RETURN missing, tags`;

/**
 * New transactions with their outputs and the outputs' addresses. `$ints[i]` holds version,
 * locktime, size, weight, vsize, height, time, position (null when unplaced) of transaction i.
 */
export const createTxs = `CYPHER replan=skip
  UNWIND range(0, size($txids) - 1) AS i
  WITH i, $ints[i] AS n
  CREATE (t:Tx {
    txid: $txids[i], wtxid: $wtxids[i], version: toInteger(n[0]), locktime: toInteger(n[1]), size: toInteger(n[2]),
    weight: toInteger(n[3]), vsize: toInteger(n[4]), isCoinbase: $coinbase[i], hasWitness: $witness[i],
    blockHash: $blockHashes[i], height: toInteger(n[5]), time: toInteger(n[6]), position: toInteger(n[7]), raw: $raws[i],
    inOutpoints: $inOutpoints[i], inSequences: [s IN $inSequences[i] | toInteger(s)]})
  WITH t, i
  UNWIND range(0, size($outValues[i]) - 1) AS v
  CREATE (t)-[:OUTPUT]->(o:Output {id: $txids[i] + ':' + toString(v), vout: v, value: toInteger($outValues[i][v]), scriptType: $outTypes[i][v], script: $outScripts[i][v]})
  WITH o, $outAddresses[i][v] AS address WHERE address IS NOT NULL
  MERGE (a:Address {address: address})
  CREATE (o)-[:LOCKED_BY]->(a)`;

export const setLongAddresses = `
  UNWIND $addresses AS address
  MATCH (a:Address {address: address.key})
  SET a.full = address.full, a.head = address.head`;

/** Children stored by earlier batches, waiting for one of these parents: they spend it now. */
export const resolveWaiting = `
  UNWIND $txids AS txid
  MATCH (m:MissingTx {txid: txid})<-[w:AWAITS]-(child:Tx)
  WITH m, w, child ORDER BY w.order
  CALL (m, w, child) {
    OPTIONAL MATCH (o:Output {id: m.txid + ':' + toString(w.vout)})
    WITH o, w, child WHERE o IS NOT NULL AND NOT EXISTS { (o)-[:SPENT_IN]->() }
    CREATE (o)-[:SPENT_IN {vin: w.vin}]->(child)
  }
  WITH DISTINCT m
  DETACH DELETE m`;

/**
 * Inputs of the new transactions, one row each (coinbase inputs and second spends of an
 * outpoint within the batch left out by the client): each spends its stored output unless
 * an earlier spender holds it. Returns the rows whose output is not stored.
 */
export const spendInputs = `CYPHER replan=skip
  UNWIND range(0, size($outpoints) - 1) AS k
  OPTIONAL MATCH (o:Output {id: $outpoints[k]})
  CALL (o, k) {
    WITH o, k WHERE o IS NOT NULL AND NOT EXISTS { (o)-[:SPENT_IN]->() }
    MATCH (t:Tx {txid: $spenders[k]})
    CREATE (o)-[:SPENT_IN {vin: toInteger($vins[k])}]->(t)
  }
  WITH k, o WHERE o IS NULL
  RETURN collect(k) AS unresolved`;

/** Inputs whose parent transaction is not stored: they wait for it on a (:MissingTx). */
export const awaitParents = `CYPHER replan=skip
  UNWIND range(0, size($outpoints) - 1) AS k
  WITH k, left($outpoints[k], 64) AS parent
  WHERE NOT EXISTS { MATCH (:Tx {txid: parent}) }
  MATCH (t:Tx {txid: $spenders[k]})
  MERGE (m:MissingTx {txid: parent})
  CREATE (t)-[:AWAITS {vin: toInteger($vins[k]), vout: toInteger(substring($outpoints[k], 65)), order: $order + toInteger($orders[k])}]->(m)`;

/** Tags written before their address existed get their edge once it does (addresses as index keys). */
export const attachTags = `
  UNWIND $addresses AS address
  MATCH (g:Tag {address: address})
  MATCH (a:Address {address: address})
  MERGE (g)-[:TAGS]->(a)`;
