// BrokerClient: the same operations whether the broker runs in this process or across HTTP.
import { AccessCredentials } from './cloud';
import type { Broker, BrokerEvent } from './broker';
import { dispatch, OperationName, OperationParams, OperationResult } from './operations';
import { IdentityProof } from './cloud';

export interface BrokerClient {
  /** Where the broker is (a URL, or 'in-process'). */
  readonly location: string;
  call<K extends OperationName>(op: K, params: OperationParams<K>): Promise<OperationResult<K>>;
  /** Grant changes and alerts as the broker announces them. */
  subscribe(listener: (event: BrokerEvent) => void): () => void;
  close(): Promise<void>;
}

/** Makes a fresh identity proof for a broker audience (one per request: proofs are single-use). */
export type ProofSource = (audience: string) => Promise<IdentityProof>;

export function inProcessClient(broker: Broker, proofs: ProofSource, onClose: () => Promise<void> = async () => undefined): BrokerClient {
  return {
    location: 'in-process',
    async call(op, params) {
      const principal = await broker.authenticate(await proofs(broker.audience), 'in-process');
      return dispatch(broker, principal, op, params);
    },
    subscribe: (listener) => broker.subscribe(listener),
    close: onClose,
  };
}

export type { AccessCredentials };
