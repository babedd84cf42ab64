import { parentPort } from 'node:worker_threads';
import { gate } from '../privacy/gate.ts';
import { admit } from './admit.ts';
import type { AdmitRequest, AdmitResponse } from './admit-pool.ts';
import { prepare } from './prepare.ts';
import { Rejection } from './rejection.ts';

/** A worker thread of the admission pool: decode, validate, gate, prepare; nothing else. */
parentPort?.on('message', async (m: AdmitRequest) => {
  let reply: AdmitResponse;
  try {
    const p = prepare(
      await admit({
        body: new Uint8Array(m.body),
        contentEncoding: m.contentEncoding,
        idempotencyKey: m.idempotencyKey,
        maxBytes: m.maxBytes,
        gate: (doc) => gate(doc),
      }),
    );
    reply = { id: m.id, prepared: p };
  } catch (error) {
    reply =
      error instanceof Rejection
        ? {
            id: m.id,
            rejection: {
              type: error.type,
              status: error.status,
              message: error.message,
              problems: [...error.problems],
              headers: { ...error.headers },
              subject: error.subject,
            },
          }
        : { id: m.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
