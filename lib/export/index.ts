export { type BuildOptions, buildExport, SECTIONS, withExportId } from './build.ts';
export { canonicalJson, computeExportId, sha256Hex, sortKeys } from './canonical.ts';
export { type Decoded, DecodeError, decodeDocument, MAX_DOCUMENT_BYTES } from './decode.ts';
export { type ExportFormat, extensionFor, type SerializeOptions, serializeExport } from './serialize.ts';
export { exportToRollup } from './to-rollup.ts';
export { type Problem, toProblems, type Validation, validateDocument } from './validate.ts';
