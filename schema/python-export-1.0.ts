import * as v from 'valibot';

/**
 * The framework's own Python `tapps-agents learning export` format, "1.0"
 * (core/learning_export.py). Loose objects: its writer adds fields freely and validates nothing.
 */
const num = v.pipe(v.number(), v.finite());

export const PythonCapability = v.looseObject({
  capability_id: v.pipe(v.string(), v.maxLength(512)),
  usage_count: v.pipe(v.number(), v.integer(), v.minValue(0)),
  success_rate: v.pipe(num, v.minValue(0), v.maxValue(1)),
  quality_score: v.pipe(num, v.minValue(0), v.maxValue(1)),
  average_duration: v.pipe(num, v.minValue(0)),
});

export const PythonExport = v.looseObject({
  export_metadata: v.looseObject({
    export_timestamp: v.string(),
    framework_version: v.string(),
    export_version: v.literal('1.0'),
    schema_version: v.literal('1.0'),
    project_hash: v.optional(v.string()),
    anonymization_applied: v.optional(v.boolean()),
  }),
  capability_metrics: v.optional(
    v.looseObject({
      total_capabilities: v.optional(v.number()),
      capabilities: v.optional(v.array(PythonCapability)),
    }),
  ),
  pattern_statistics: v.optional(v.looseObject({})),
  learning_effectiveness: v.optional(v.looseObject({})),
  analytics_data: v.optional(v.looseObject({})),
});

export type PythonExport = v.InferOutput<typeof PythonExport>;
