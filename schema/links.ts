import * as v from 'valibot';
import { Label } from './rollup.ts';

/**
 * The local waiting room of the consultation → step-outcome join (lib/rollup/link.ts). A consultation
 * is written while the step it advises is running, and the step's outcome arrives later, often from
 * another store or in a later collection; so each side waits here, bounded in number and in time,
 * until the other comes. Like the rest of the state file it never leaves the machine, and it holds
 * no free text: labels, keyed pseudonyms, millisecond instants and a confidence decile.
 */

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Milliseconds since the epoch (UTC). */
const instant = v.pipe(v.number(), v.safeInteger());

export const ConsultationLink = v.strictObject({
  /** The keyed hash of the event id (as in `seen`), to drop it once linked, in any process. */
  id: v.string(),
  domain: Label,
  decile: v.pipe(count, v.maxValue(9)),
  /** The asking agent's label, for the time join. */
  agent: v.optional(Label),
  at: instant,
  /** Pseudonym of (workflow id, step id) when the event names the step it advises. */
  step: v.optional(Label),
});

export const StepLink = v.strictObject({
  id: v.string(),
  agent: Label,
  start: instant,
  end: instant,
  ok: v.boolean(),
  step: v.optional(Label),
});

export const Links = v.strictObject({
  consultations: v.array(ConsultationLink),
  steps: v.array(StepLink),
});

export type ConsultationLink = v.InferOutput<typeof ConsultationLink>;
export type StepLink = v.InferOutput<typeof StepLink>;
export type Links = v.InferOutput<typeof Links>;
