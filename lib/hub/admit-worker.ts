import { parentPort } from 'node:worker_threads';
import { gate } from '../privacy/gate.ts';
import { admit } from './admit.ts';
import type { AdmitRequest, AdmitResponse } from './admit-pool.ts';
import { prepare } from './prepare.ts';
import { Rejection } from './rejection.ts';

/** A worker thread of the admission pool: decode, validate, gate, prepare; nothing else. */
parentPort?.on('message', async (m: AdmitRequest) => {
  let reply: AdmitResponse;
  const transfer: ArrayBuffer[] = [];
  try {
    const { rollup, ...p } = prepare(
      await admit({
        body: new Uint8Array(m.body),
        contentEncoding: m.contentEncoding,
        idempotencyKey: m.idempotencyKey,
        maxBytes: m.maxBytes,
        gate: (doc) => gate(doc),
      }),
    );
    p.document = ownBuffer(p.document);
    transfer.push(p.document.buffer as ArrayBuffer);
    reply = { id: m.id, prepared: p, rollupJson: JSON.stringify(rollup) };
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
  parentPort?.postMessage(reply, transfer);
});

/**
 * Bytes that own their whole buffer, so it can be handed over without a copy: the document is
 * often the request body itself. A small Buffer may be a slice of Node's shared pool; that one
 * is copied, since transferring the pool would take it from under every other Buffer.
 */
function ownBuffer(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer
    ? b
    : Uint8Array.prototype.slice.call(b);
}
