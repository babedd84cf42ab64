export * from './events.ts';
export * from './export-v1.ts';
export { type DocumentVersion, detectVersion, migratePythonExport } from './migrate.ts';
export * from './observation.ts';
export { PythonExport } from './python-export-1.0.ts';
export * from './rollup.ts';
export * from './state.ts';
