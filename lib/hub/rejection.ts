/**
 * Why the hub refused a request, typed, so a client can act without parsing prose:
 * - schema: not a readable export (broken encoding, invalid document) → fix the producer;
 * - size: the body (or its decompressed form) is over the limit → 413;
 * - duplicate: recorded when an already-stored exportId arrives again (the client gets 200);
 * - version: a schemaVersion this hub does not read → upgrade the hub;
 * - raw: a raw (non-anonymized) export → never submittable;
 * - auth: missing or wrong bearer or deletion token;
 * - rate: too many requests from this token or address → retry after `Retry-After`;
 * - gate: the hub's own privacy gate found a secret or personal data → nothing was stored.
 * `internal` is not a rejection: the hub failed and the client should retry later.
 */
export type RejectionType = 'schema' | 'size' | 'duplicate' | 'version' | 'raw' | 'auth' | 'rate' | 'gate';

export interface Problem {
  /** RFC 6901 JSON pointer into the submitted document. */
  pointer: string;
  message: string;
}

export class Rejection extends Error {
  /** The document's ids, when it was refused after it validated (raw, gate, Idempotency-Key). */
  subject: { exportId: string; projectId: string } | null = null;

  constructor(
    readonly type: RejectionType,
    readonly status: number,
    message: string,
    readonly problems: readonly Problem[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'Rejection';
  }

  about(doc: { metadata: { exportId: string; projectId: string } }): this {
    this.subject = { exportId: doc.metadata.exportId, projectId: doc.metadata.projectId };
    return this;
  }

  body(): { error: { type: RejectionType; message: string; problems?: Problem[] } } {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.problems.length > 0 ? { problems: [...this.problems] } : {}),
      },
    };
  }
}

/** At most this many problems go back to a client or into the rejection log. */
export const MAX_PROBLEMS = 50;
