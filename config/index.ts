export { ConfigError } from './config-error.ts';
export { defineConfig } from './define-config.ts';
export { CONFIG_NAMES, type LoadedConfig, loadConfig, validateConfig } from './load.ts';
export { findGitRoot, findProjectRoot } from './project-root.ts';
export {
  type ConfigInput,
  ConfigSchema,
  type LearningOptions,
  type ResolvedConfig,
  SECTION_NAMES,
  type SectionName,
} from './schema.ts';
