import type { MachineIdentity } from '../privacy/identity.ts';
import type { FetchFn } from './http-request.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';

/** Everything a submission does to the outside world, in one place, so tests replace it without mocks. */
export interface SubmitDeps {
  fetch: FetchFn;
  now(): number;
  clock(): Date;
  sleep(ms: number): Promise<void>;
  random(): number;
  retry: RetryPolicy;
  /** The gate's identity of this machine; read from the machine when absent. */
  identity?: MachineIdentity;
}

/** The real world. fetch is looked up when called, never captured, so nothing runs before a send is decided. */
export function defaultDeps(): SubmitDeps {
  return {
    fetch: (url, init) => globalThis.fetch(url, init),
    now: () => Date.now(),
    clock: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    retry: DEFAULT_RETRY,
  };
}
