import { ACCURACY_FILE, INPUT_NOT_CITED, FIGURE_PNG_FILE, FIGURE_SVG_FILE, GEXF_FILE, GRAPHML_FILE, HEADERS_FILE, MANIFEST_FILE, MERKLE_DIR, RAW_DIR, REPORT_HTML_FILE, REPORT_PDF_FILE, SUMS_FILE, TABLES } from './bundle-layout.js';

/** README.txt: what each file is and how to check the bundle by hand, without chaintrail. */
export function bundleReadme(caseName: string, toolVersion: string): string {
  const t = TABLES;
  return `chaintrail evidence bundle: case ${caseName}
Written by chaintrail ${toolVersion}. Every figure in it can be checked offline, without
trusting chaintrail, the investigator or any blockchain service.

CONTENTS
  ${MANIFEST_FILE}          what the bundle covers; chain source and tip; every parameter,
                         heuristic (version, confidence, error rates), report model, vetoed
                         cluster link and tag source; what is missing and why
  ${SUMS_FILE}            SHA-256 of every other file
  ${t.transactions.file}  one row per transaction in ${RAW_DIR}/ (roles: scope = in the exported
                         view, link = justifies a cluster link, parent = an output it spends
                         is an input of another cited transaction; a transaction that is only
                         a parent is context, not a finding)
  ${t.inputs.file}, ${t.outputs.file}
                         every input and output of those transactions; amounts in satoshis
                         (resolved ${INPUT_NOT_CITED}: an input of a context transaction whose
                         parent is not in the bundle, left empty; inputs whose parent the store
                         lacked are listed in ${MANIFEST_FILE}, parents.absent)
  ${t.addresses.file}    every address they touch, with sums over this bundle only
  ${t.entities.file}, ${t.clusterLinks.file}
                         entities (clusters) and the links that join their addresses, each
                         with the heuristic and the transaction that justifies it
  ${t.tags.file}         attribution tags with their sources
  ${t.paymentsToSeeds.file}
                         every output in the bundle paying a seized address
  ${RAW_DIR}/<txid>.hex           raw transactions (hex, with witness data)
  ${MERKLE_DIR}/<block>.json  per block: the merkle branch of each cited transaction in it
                         (pos and merkle as Esplora's /tx/:txid/merkle-proof gives them)
  ${HEADERS_FILE}     block headers from the lowest cited block to the tip, raw and decoded
  ${GRAPHML_FILE}, ${GEXF_FILE}
                         the graph of the scope (addresses and transactions; opens in Gephi)
  ${FIGURE_SVG_FILE}, ${FIGURE_PNG_FILE}   the figure
  ${REPORT_HTML_FILE}, ${REPORT_PDF_FILE}  the report
  ${ACCURACY_FILE}   the published error rates the report cites (pnpm accuracy), when any

CHECKING IT
  chaintrail verify <this folder or zip>      does every check below and names any failure.

  By hand:
  1. sha256sum -c ${SUMS_FILE}   (every file is as exported)
  2. For each ${RAW_DIR}/<txid>.hex: decode the hex; remove the segwit marker, flag and witness
     data if present; SHA-256 twice; reverse the bytes: the result is <txid>.
  3. Every amount and address in the tables is in those bytes: an output's value and script
     are in its transaction; an input's are in the output it spends, in its parent's raw file.
  4. For each proof in ${MERKLE_DIR}/<block>.json: start from the txid's bytes (reversed hex);
     for each hash in "merkle", concatenate (sibling on the left when that bit of "pos" is
     1), SHA-256 twice; the result, reversed, is the merkle_root of that block's header.
  5. In ${HEADERS_FILE}: each raw_header_hex, SHA-256 twice and reversed, is its hash; its bytes
     4 to 36 (reversed) are the previous row's hash; the hash as a number is at most the
     target its bits encode. The last row is the tip named in ${MANIFEST_FILE}; compare its hash
     with any independent node or block explorer.
`;
}
