import type { Hook } from 'tapable';

export interface PluginFailure {
  plugin: string;
  hook: string;
  error: unknown;
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Wraps every tap of `hook` (present and future) so a tap that throws, rejects or calls back with an
 * error is reported and treated as done. tapable would otherwise skip the later taps of other plugins
 * (AsyncSeriesHook) or fail the host's call: one plugin's bug must never break the host.
 */
export function isolateTaps(
  hookName: string,
  hook: Hook<unknown, unknown>,
  report: (f: PluginFailure) => void,
): void {
  hook.intercept({
    register(tap) {
      const fn = tap.fn as AnyFn;
      const fail = (error: unknown) => report({ plugin: tap.name, hook: hookName, error });
      if (tap.type === 'promise') {
        tap.fn = (...args: unknown[]) => {
          try {
            return Promise.resolve(fn(...args)).catch(fail);
          } catch (error) {
            fail(error);
            return Promise.resolve();
          }
        };
      } else if (tap.type === 'async') {
        tap.fn = (...args: unknown[]) => {
          const callback = args.pop() as (err?: unknown) => void;
          try {
            fn(...args, (err?: unknown) => {
              if (err) fail(err);
              callback();
            });
          } catch (error) {
            fail(error);
            callback();
          }
        };
      } else {
        tap.fn = (...args: unknown[]) => {
          try {
            return fn(...args);
          } catch (error) {
            fail(error);
            return undefined;
          }
        };
      }
      return tap;
    },
  });
}
