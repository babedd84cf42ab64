import { Worker } from 'node:worker_threads';
import type { AdmitInput } from './admit.ts';
import type { Prepared } from './prepare.ts';
import { type Problem, Rejection, type RejectionType } from './rejection.ts';

export type AdmitJob = Omit<AdmitInput, 'gate'>;

export interface AdmitRequest {
  id: number;
  body: ArrayBuffer;
  contentEncoding: string | null | undefined;
  idempotencyKey: string | null | undefined;
  maxBytes: number;
}

export type AdmitResponse =
  | {
      id: number;
      /** The rollup travels as JSON text: JSON.parse rebuilds it in a third of the time the
       * structured clone of the object graph takes on the receiving (main) thread. */
      prepared: Omit<Prepared, 'rollup'>;
      rollupJson: string;
    }
  | {
      id: number;
      rejection: {
        type: RejectionType;
        status: number;
        message: string;
        problems: Problem[];
        headers: Record<string, string>;
        subject: Rejection['subject'];
      };
    }
  | { id: number; error: string };

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (p: Prepared) => void; reject: (e: Error) => void }>;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './admit-worker.ts' : './admit-worker.js', import.meta.url);

/**
 * Built, the worker is plain JavaScript. Run from the TypeScript sources (tests, development), the
 * thread first registers tsx's loader for itself: loader hooks of the main thread do not reach it.
 */
function startWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(code, { eval: true });
}

/**
 * Admission (decode, validate, gate, compress) on worker threads: it is most of a submission's CPU
 * time, and the main thread then only talks HTTP and to the database. Each job goes to the least
 * busy worker; a worker that dies fails its jobs (the clients retry) and is replaced.
 */
export class AdmitPool {
  readonly #slots: Slot[] = [];
  #next = 1;
  #closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  admit(job: AdmitJob): Promise<Prepared> {
    if (this.#closed) return Promise.reject(new Error('the admission pool is closed'));
    const slot = this.#slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.#next++;
    // A copy the worker may own: the body may be a view into a larger, shared buffer.
    const body = job.body.slice().buffer as ArrayBuffer;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const request: AdmitRequest = {
        id,
        body,
        contentEncoding: job.contentEncoding,
        idempotencyKey: job.idempotencyKey,
        maxBytes: job.maxBytes,
      };
      slot.worker.postMessage(request, [body]);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #spawn(): Slot {
    const slot: Slot = { worker: startWorker(), pending: new Map() };
    slot.worker.unref();
    slot.worker.on('message', (m: AdmitResponse) => {
      const job = slot.pending.get(m.id);
      if (!job) return;
      slot.pending.delete(m.id);
      if ('prepared' in m)
        job.resolve({ ...m.prepared, rollup: JSON.parse(m.rollupJson) as Prepared['rollup'] });
      else if ('rejection' in m) {
        const r = m.rejection;
        const rejection = new Rejection(r.type, r.status, r.message, r.problems, r.headers);
        rejection.subject = r.subject;
        job.reject(rejection);
      } else job.reject(new Error(m.error));
    });
    const fail = (error: Error) => {
      for (const job of slot.pending.values()) job.reject(error);
      slot.pending.clear();
      if (this.#closed) return;
      const i = this.#slots.indexOf(slot);
      if (i >= 0) this.#slots[i] = this.#spawn();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`an admission worker stopped (exit ${code})`)));
    return slot;
  }
}
