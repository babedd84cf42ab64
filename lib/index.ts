export { ConfigError, defineConfig, findProjectRoot, loadConfig } from '../config/index.ts';
export { createHost, createHostHooks, type Host, type HostHooks, type Plugin } from '../hooks/index.ts';
export { computeDashboard, renderDashboardHtml } from './dashboard/index.ts';
export {
  buildExport,
  decodeDocument,
  exportToRollup,
  serializeExport,
  validateDocument,
} from './export/index.ts';
export { LearningPlugin, type LearningRuntime, learningPlugin, learningPlugin as default } from './plugin.ts';
export { add, emptyRollup, merge } from './rollup/index.ts';
