import type { ConfigInput } from './schema.ts';

/** Identity at run time; gives `tapps-agents.config.ts` types and completion. */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}
