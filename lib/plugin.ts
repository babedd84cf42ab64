import type { LearningOptions } from '../config/schema.ts';
import type { Host } from '../hooks/host.ts';
import type { Plugin } from '../hooks/plugin.ts';
import { learningCommands } from './cli/commands/index.ts';
import { appendLog, errorText } from './files/log.ts';
import { type ResolvedOptions, resolveOptions } from './options.ts';
import { type EventKind, Recorder } from './rollup/recorder.ts';

export const PLUGIN_NAME = 'learning';

/** What the plugin's commands work with. */
export interface LearningRuntime {
  readonly host: Host;
  readonly projectRoot: string;
  readonly options: ResolvedOptions;
  readonly recorder: Recorder;
}

/**
 * learningPlugin(options): taps task, workflow and consultation events into anonymized rollups and
 * contributes the `learning …` commands. Every tap catches its own errors and logs them to the
 * plugin's log: a learning bug must never break the host or the plugins after this one.
 */
export class LearningPlugin implements Plugin {
  readonly name = PLUGIN_NAME;
  runtime: LearningRuntime | undefined;

  constructor(private readonly options?: LearningOptions) {}

  apply(host: Host): void {
    const options = resolveOptions(host.config.learning, this.options);
    const runtime: LearningRuntime = {
      host,
      projectRoot: host.projectRoot,
      options,
      recorder: new Recorder(host.projectRoot),
    };
    this.runtime = runtime;
    const guard = (what: string, fn: () => void) => {
      try {
        fn();
      } catch (error) {
        appendLog(host.projectRoot, 'error', `${what}: ${errorText(error)}`);
      }
    };
    if (options.enabled) {
      const on = (kind: EventKind) => (event: Parameters<Recorder['record']>[1]) =>
        guard(`${kind} event`, () => runtime.recorder.record(kind, event));
      host.hooks.taskCompleted.tap(PLUGIN_NAME, on('task'));
      host.hooks.workflowCompleted.tap(PLUGIN_NAME, on('workflow'));
      host.hooks.consultationCompleted.tap(PLUGIN_NAME, on('consultation'));
      host.hooks.sessionEnd.tapPromise(PLUGIN_NAME, async () => {
        if (runtime.recorder.pendingEvents === 0) return;
        try {
          await runtime.recorder.flush();
        } catch (error) {
          appendLog(host.projectRoot, 'error', `saving rollups: ${errorText(error)}`);
        }
      });
    }
    host.hooks.commands.tap(PLUGIN_NAME, (registry) =>
      registry.add(PLUGIN_NAME, ...learningCommands(runtime)),
    );
  }
}

export function learningPlugin(options?: LearningOptions): LearningPlugin {
  return new LearningPlugin(options);
}
