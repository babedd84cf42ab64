import { load, YAMLException } from 'js-yaml';
import type { HooksYamlProblem } from './problem.ts';
import { PY_YAML_SCHEMA } from './py-yaml-schema.ts';

/** hooks.yaml is a few hundred bytes; anything far larger is not one and is not parsed. */
export const MAX_HOOKS_YAML_BYTES = 1024 * 1024;

export type Parsed = { ok: true; doc: unknown } | { ok: false; problem: HooksYamlProblem };

/**
 * Parses hooks.yaml as the framework's `yaml.safe_load` would (YAML 1.1 scalars), with limits: size,
 * nesting depth and merge keys. Duplicate keys are refused: PyYAML keeps the last silently, and an
 * installer cannot know which one the user meant.
 */
export function parseHooksYaml(text: string): Parsed {
  if (text.length > MAX_HOOKS_YAML_BYTES)
    return {
      ok: false,
      problem: {
        message: `the file has ${text.length} characters; a hooks.yaml this large is not edited (limit ${MAX_HOOKS_YAML_BYTES})`,
      },
    };
  try {
    return { ok: true, doc: load(text, { schema: PY_YAML_SCHEMA, maxDepth: 32, maxTotalMergeKeys: 1000 }) };
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = error.mark ? error.mark.line + 1 : undefined;
      const column = error.mark ? error.mark.column + 1 : undefined;
      return {
        ok: false,
        problem: {
          ...(line !== undefined ? { line } : {}),
          ...(column !== undefined ? { column } : {}),
          message: `not valid YAML: ${error.reason}`,
        },
      };
    }
    return {
      ok: false,
      problem: { message: `not readable as YAML: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
}
