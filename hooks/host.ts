import type { Hook } from 'tapable';
import { loadConfig } from '../config/load.ts';
import { resolvePlugins } from '../config/resolve-plugins.ts';
import type { ResolvedConfig } from '../config/schema.ts';
import { CommandRegistry } from './command-registry.ts';
import { createHostHooks, type HostHooks } from './host-hooks.ts';
import { isolateTaps, type PluginFailure } from './isolate-taps.ts';
import type { Plugin } from './plugin.ts';

export interface Host {
  readonly projectRoot: string;
  readonly config: ResolvedConfig;
  /** The config file the settings came from, or null when defaults apply. */
  readonly configFile: string | null;
  readonly hooks: HostHooks;
  readonly commands: CommandRegistry;
  readonly plugins: readonly Plugin[];
  /** Every error a plugin's tap raised; the host carried on without it. */
  readonly failures: readonly PluginFailure[];
}

export interface CreateHostOptions {
  projectRoot: string;
  /** Settings to use instead of searching for tapps-agents.config.*. */
  config?: ResolvedConfig;
  /** Plugins applied when the config names none (the learning CLI passes its own plugin). */
  defaultPlugins?: readonly Plugin[];
  /** Where plugin failures are reported; default: one line on stderr. */
  onPluginFailure?: (f: PluginFailure) => void;
}

/** Loads the config, builds the hooks, applies plugins in order and collects their commands. */
export async function createHost(options: CreateHostOptions): Promise<Host> {
  const loaded = options.config
    ? { config: options.config, filepath: null }
    : await loadConfig(options.projectRoot);
  const hooks = createHostHooks();
  const failures: PluginFailure[] = [];
  const report = options.onPluginFailure ?? defaultReport;
  const onFailure = (f: PluginFailure) => {
    failures.push(f);
    report(f);
  };
  for (const [name, hook] of Object.entries(hooks))
    isolateTaps(name, hook as Hook<unknown, unknown>, onFailure);

  const plugins =
    loaded.config.plugins === undefined
      ? [...(options.defaultPlugins ?? [])]
      : await resolvePlugins(loaded.config.plugins, options.projectRoot, loaded.filepath);
  const commands = new CommandRegistry();
  const host: Host = {
    projectRoot: options.projectRoot,
    config: loaded.config,
    configFile: loaded.filepath,
    hooks,
    commands,
    plugins,
    failures,
  };
  for (const plugin of plugins) {
    try {
      plugin.apply(host);
    } catch (error) {
      onFailure({ plugin: plugin.name, hook: 'apply', error });
    }
  }
  hooks.commands.call(commands);
  return host;
}

function defaultReport(f: PluginFailure): void {
  const message = f.error instanceof Error ? f.error.message : String(f.error);
  process.stderr.write(`tapps-agents: plugin "${f.plugin}" failed in ${f.hook}: ${message}\n`);
}
