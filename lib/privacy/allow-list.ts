/**
 * The allow-list as a table: what observe.ts does with every field of every raw event. It is the
 * single statement of "what is collected": test/privacy/allow-list.test.ts fails when an event
 * schema gains a field this table does not classify, or when observe() behaves otherwise than a
 * row says; the README's "what is collected" section is rendered from it (allow-list-doc.ts).
 */

export type EventName = 'task' | 'workflow' | 'consultation';

/**
 * - kept: a number or enum value, copied with its bounds checked;
 * - generalized: reduced to a coarse value (a UTC day, a language, an error category, a fixed bucket);
 * - pseudonymized: a framework name stays readable, any other name becomes a keyed pseudonym;
 * - dropped: never read into an observation, so it cannot reach a rollup, a state file or an export.
 */
export type Treatment = 'kept' | 'generalized' | 'pseudonymized' | 'dropped';

export interface FieldRule {
  readonly event: EventName;
  /** Path in the event: `a.b` nested, `a[]` array items, `a.*` record keys and values. */
  readonly field: string;
  readonly treatment: Treatment;
  /** The observation field it feeds (`—` when dropped). */
  readonly becomes: string;
  /** How, in a few words a user can check. */
  readonly how: string;
  /**
   * What the calibration join (lib/privacy/link-facts.ts) keeps from it, when it reads it: for up
   * to two days, in the local state file only, to tell which step a consultation advised.
   */
  readonly join?: string;
}

/** Every event type's schema name, for messages and the README. */
export const EVENT_SCHEMAS: Readonly<Record<EventName, string>> = {
  task: 'TaskCompletedEvent',
  workflow: 'WorkflowCompletedEvent',
  consultation: 'ConsultationEvent',
};

/** Fields hosts may attach beyond the schema (events are loose objects): observe never reads them. */
export const EXTRA_FIELDS_RULE = 'any field the schema does not declare, at any depth: dropped';

const FRAMEWORK_OR_PSEUDONYM = 'framework name kept, any other name a keyed pseudonym';
const LOCAL_ONLY_ID =
  'not observed; a keyed hash stays in the local state to count an event seen by two stores once, never exported';

const task = (
  field: string,
  treatment: Treatment,
  becomes: string,
  how: string,
  join?: string,
): FieldRule => ({ event: 'task', field, treatment, becomes, how, ...(join ? { join } : {}) });
const workflow = (field: string, treatment: Treatment, becomes: string, how: string): FieldRule => ({
  event: 'workflow',
  field,
  treatment,
  becomes,
  how,
});
const consultation = (
  field: string,
  treatment: Treatment,
  becomes: string,
  how: string,
  join?: string,
): FieldRule => ({ event: 'consultation', field, treatment, becomes, how, ...(join ? { join } : {}) });
const DROPPED = '—';
const RUN = 'the step’s run as UTC milliseconds, to find the consultations made during it';
const STEP_KEY = 'with the other id, a keyed pseudonym of the (workflow, step) pair';

export const ALLOW_LIST: readonly FieldRule[] = [
  task('id', 'dropped', DROPPED, LOCAL_ONLY_ID),
  task(
    'source',
    'dropped',
    DROPPED,
    'not observed (store health is counted by the collector per store name)',
  ),
  task(
    'agent',
    'pseudonymized',
    'capability',
    `${FRAMEWORK_OR_PSEUDONYM}; a custom agent hides its action too`,
    'the agent’s label (as `askedBy` has it), to match consultations by the same agent',
  ),
  task(
    'action',
    'pseudonymized',
    'capability',
    `${FRAMEWORK_OR_PSEUDONYM}; joined to the agent as \`agent.action\``,
  ),
  task('status', 'kept', 'status', 'success, failure or skipped; any other value rejects the event'),
  task(
    'startedAt',
    'generalized',
    'day, durationMs',
    'UTC day when no finish time is given; with finishedAt, a duration',
    RUN,
  ),
  task(
    'finishedAt',
    'generalized',
    'day, durationMs',
    'UTC day (exports fold days into weeks); with startedAt, a duration',
    RUN,
  ),
  task(
    'durationMs',
    'kept',
    'durationMs',
    'milliseconds, 0 to 7 days; anything else is dropped as a clock error',
    'with one of the two times, the step’s run',
  ),
  task('attempt', 'kept', 'attempt', 'whole number ≥ 1 (retries are counted, not told apart)'),
  task('qualityScore', 'kept', 'quality', 'number 0..100'),
  task(
    'qualityScores.*',
    'generalized',
    'subScores',
    'the framework’s sub-score names (complexity, security, …) with their 0..100 value; other names dropped',
  ),
  task(
    'errorType',
    'generalized',
    'errorType',
    'a Python or framework exception name kept, any other one of 12 error categories',
  ),
  task(
    'errorMessage',
    'generalized',
    'errorType',
    'only picks the error category when no known type is given; the text is never kept',
  ),
  task(
    'workflow.id',
    'pseudonymized',
    'workflowType',
    'the workflow type before its start time; preset name kept, others a keyed pseudonym',
    STEP_KEY,
  ),
  task('workflow.type', 'pseudonymized', 'workflowType', `${FRAMEWORK_OR_PSEUDONYM}; preferred over the id`),
  task('workflow.name', 'dropped', DROPPED, 'free text'),
  task('stepId', 'pseudonymized', DROPPED, 'project-specific identifier: only the join reads it', STEP_KEY),
  task(
    'files[]',
    'generalized',
    'languages',
    'the language of each file’s extension (python, typescript, …); the path never',
  ),
  task(
    'patternsUsed[].type',
    'generalized',
    'patterns',
    'one of the framework’s pattern types, else `other`; each type once per task',
  ),
  task('patternsUsed[].id', 'dropped', DROPPED, 'pattern ids embed code names (`func_charge_card_4275`)'),
  task('decision.kind', 'pseudonymized', 'decision', 'always a keyed pseudonym'),
  task('decision.chosen', 'dropped', DROPPED, 'free text'),
  task('decision.alternatives[]', 'dropped', DROPPED, 'free text'),
  task('decision.reason', 'dropped', DROPPED, 'free text (reasoning, names, tokens)'),
  task('decision.confidence', 'dropped', DROPPED, 'not used'),
  task(
    'securityFindings[].ruleId',
    'pseudonymized',
    'security.rule',
    'public scanner ids (bandit `B105`, `CWE-798`) kept, any other a keyed pseudonym; each rule and severity once per task',
  ),
  task(
    'securityFindings[].severity',
    'generalized',
    'security.severity',
    'info, low, medium, high or critical, else `unknown`',
  ),
  task('metadata.*', 'dropped', DROPPED, 'free-form: never read'),

  workflow('id', 'dropped', DROPPED, LOCAL_ONLY_ID),
  workflow('source', 'dropped', DROPPED, 'not observed'),
  workflow(
    'workflow.id',
    'pseudonymized',
    'workflowType',
    'the workflow type before its start time; preset name kept, others a keyed pseudonym',
  ),
  workflow(
    'workflow.type',
    'pseudonymized',
    'workflowType',
    `${FRAMEWORK_OR_PSEUDONYM}; preferred over the id`,
  ),
  workflow('workflow.name', 'dropped', DROPPED, 'free text'),
  workflow(
    'status',
    'kept',
    'outcome',
    'completed, failed, cancelled, paused or blocked; any other value rejects the event',
  ),
  workflow(
    'startedAt',
    'generalized',
    'day, durationMs',
    'UTC day when no finish time is given; with finishedAt, a duration',
  ),
  workflow(
    'finishedAt',
    'generalized',
    'day, durationMs',
    'UTC day (exports fold days into weeks); with startedAt, a duration',
  ),
  workflow(
    'durationMs',
    'kept',
    'durationMs',
    'milliseconds, 0 to 7 days; anything else is dropped as a clock error',
  ),
  workflow('stepsTotal', 'kept', 'stepsTotal', 'whole number ≥ 0'),
  workflow('stepsCompleted', 'kept', 'stepsCompleted', 'whole number ≥ 0'),
  workflow('stepsFailed', 'kept', 'stepsFailed', 'whole number ≥ 0'),
  workflow(
    'errorType',
    'generalized',
    'errorType',
    'a Python or framework exception name kept, any other one of 12 error categories',
  ),
  workflow(
    'errorMessage',
    'generalized',
    'errorType',
    'only picks the error category when no known type is given; the text is never kept',
  ),
  workflow('metadata.*', 'dropped', DROPPED, 'free-form: never read'),

  consultation('id', 'dropped', DROPPED, LOCAL_ONLY_ID),
  consultation('source', 'dropped', DROPPED, 'not observed'),
  consultation('expertId', 'pseudonymized', 'expert', FRAMEWORK_OR_PSEUDONYM),
  consultation('domain', 'pseudonymized', 'domain', FRAMEWORK_OR_PSEUDONYM),
  consultation('confidence', 'kept', 'confidence', 'number 0..1, kept as 0..100'),
  consultation(
    'threshold',
    'generalized',
    'meetsThreshold',
    'only decides meets/below when meetsThreshold is not given',
  ),
  consultation('meetsThreshold', 'kept', 'meetsThreshold', 'true or false'),
  consultation('agreementLevel', 'kept', 'agreement', 'number 0..1'),
  consultation('numExperts', 'dropped', DROPPED, 'not used'),
  consultation(
    'selectionReason',
    'generalized',
    'selectionReason',
    'one of the framework’s 5 selection reasons, else `other`',
  ),
  consultation(
    'agent',
    'pseudonymized',
    'askedBy',
    FRAMEWORK_OR_PSEUDONYM,
    'the label, to find a step by the same agent',
  ),
  consultation(
    'at',
    'generalized',
    'day',
    'UTC day (exports fold days into weeks)',
    'UTC milliseconds, to find the step running then',
  ),
  consultation(
    'combinedConfidence',
    'generalized',
    DROPPED,
    'only the join reads it',
    'its tenth (0–9): the row of the domain’s reliability table (exports carry the table, per tenth)',
  ),
  consultation('workflow.id', 'pseudonymized', DROPPED, 'only the join reads it', STEP_KEY),
  consultation('workflow.type', 'dropped', DROPPED, 'not used'),
  consultation('workflow.name', 'dropped', DROPPED, 'free text'),
  consultation('stepId', 'pseudonymized', DROPPED, 'only the join reads it', STEP_KEY),
  consultation('sessionId', 'dropped', DROPPED, 'would link consultations to one session'),
  consultation('query', 'dropped', DROPPED, 'the question asked: prompts and code'),
  consultation('metadata.*', 'dropped', DROPPED, 'free-form: never read'),
];

/**
 * What no field of an observation, a rollup, the state file or an export can hold, because no
 * row above keeps it. Shown in the README beside the table.
 */
export const NEVER_COLLECTED: readonly string[] = [
  'prompts, queries and any other text sent to or written by an agent',
  'source code, diffs, code names and pattern ids',
  'file and folder paths, file names, the project folder (only a file’s language is kept)',
  'error messages and tracebacks (only the exception name or a category)',
  'decision reasons, chosen options and alternatives; workflow and epic names',
  'free-form `metadata` of any event',
  'user, host and git identity: user name, host name, e-mail, git remote',
  'host metrics: CPU, memory, disk',
  'local times and time zones: an observation keeps only its UTC day; exports carry UTC weeks (and their own UTC creation time); the calibration join keeps UTC instants of the last two days in the local state file only',
  'event, step, session and task ids',
];

export function rulesOf(event: EventName): FieldRule[] {
  return ALLOW_LIST.filter((r) => r.event === event);
}
