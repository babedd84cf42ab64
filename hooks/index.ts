export {
  type CommandArgument,
  type CommandContext,
  type CommandOption,
  CommandRegistry,
  type CommandSpec,
} from './command-registry.ts';
export { type CreateHostOptions, createHost, type Host } from './host.ts';
export { createHostHooks, type HostHooks } from './host-hooks.ts';
export { isolateTaps, type PluginFailure } from './isolate-taps.ts';
export { isPlugin, type Plugin } from './plugin.ts';
