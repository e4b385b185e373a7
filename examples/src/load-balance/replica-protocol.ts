import { defineService, method } from 'moonpool';

/** Port every replica listens on. */
export const REPLICA_PORT = 4700;

/** A read of the replica's counter: idempotent, sent with `AtMostOnce.False`. */
export interface ReadRequest {
  /** Unique per client call (the checker follows a call by it). */
  readonly id: string;
}

/**
 * An increment of the replica's counter: not idempotent, so it is sent with `AtMostOnce.True` and
 * must never be executed twice.
 */
export interface IncrementRequest {
  readonly id: string;
}

/** Who executed the request (the replica's address and incarnation) and the counter's value then. */
export interface ReplicaReply {
  readonly id: string;
  readonly server: string;
  readonly boot: number;
  readonly value: number;
}

/** The replicated service every replica serves; one `Alternatives` per method on the client. */
export const ReplicaService = defineService({
  id: 0x1b_a1n,
  name: 'ReplicaService',
  methods: {
    read: method<ReadRequest, ReplicaReply>(),
    increment: method<IncrementRequest, ReplicaReply>(),
  },
});
