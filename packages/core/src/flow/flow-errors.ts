import { ChaintrailError } from '../errors.js';

/** A transaction handed to a flow model whose outputs are worth more than its inputs. */
export class UnbalancedFlowTxError extends ChaintrailError {
  constructor(txid: string, inputs: bigint, outputs: bigint) {
    super(
      'CHAINTRAIL_BAD_FLOW_TX',
      `Transaction ${txid} pays ${outputs} sats from inputs worth ${inputs} sats, so no flow model can split it. Its inputs are probably not all stored: ingest its parents (chaintrail ingest --hops-back) and run the report again.`,
    );
  }
}
