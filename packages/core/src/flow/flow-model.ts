/**
 * The flow models of ../shared/METHODS.md ("Flow models"): how much of one party's money a
 * transaction passes on to each of its outputs. Every report names the model and its
 * version; bump a version whenever a model's behaviour changes.
 */
export type FlowModelName = 'poison' | 'haircut' | 'fifo';

export const FLOW_MODEL_NAMES: readonly FlowModelName[] = ['poison', 'haircut', 'fifo'];

export interface FlowModelInfo {
  readonly name: FlowModelName;
  readonly version: number;
  /** The rule in one sentence, as a report prints it. */
  readonly rule: string;
  readonly source: string;
}

export const FLOW_MODELS: Readonly<Record<FlowModelName, FlowModelInfo>> = {
  poison: {
    name: 'poison',
    version: 1,
    rule: 'If any input is tainted, every output and the fee are fully tainted.',
    source: 'Anderson et al., "Making Bitcoin Legal", Security Protocols Workshop 2018',
  },
  haircut: {
    name: 'haircut',
    version: 1,
    rule: 'Each output is tainted in proportion to its share of the inputs: floor(value / (outputs + fee) * tainted input value), capped by the output value and the taint still unassigned; the remainder goes to the fee (any excess the fee cannot hold goes to the outputs with the largest rounding loss).',
    source: 'BlockSci src/heuristics/taint.cpp; Anderson et al. 2018',
  },
  fifo: {
    name: 'fifo',
    version: 1,
    rule: "The satoshis of all inputs line up in input order (one address's inputs together, at the place of its first input, in the order the address received them); outputs take them in output order; what is left is the fee.",
    source: "Clayton's Case (1816); Anderson et al. 2018",
  },
};

export function isFlowModelName(value: string): value is FlowModelName {
  return (FLOW_MODEL_NAMES as readonly string[]).includes(value);
}
