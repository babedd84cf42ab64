import type { Host } from './host.ts';

/** The webpack plugin shape: a name, and apply() that taps the host's hooks. */
export interface Plugin {
  readonly name: string;
  apply(host: Host): void;
}

export function isPlugin(x: unknown): x is Plugin {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Plugin).name === 'string' &&
    typeof (x as Plugin).apply === 'function'
  );
}
