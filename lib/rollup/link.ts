import type { ConsultationLink, Links, StepLink } from '../../schema/links.ts';
import { LinkBook } from './link-book.ts';

/**
 * The consultation → step-outcome join behind expert calibration (the credit itself is add.ts's addCalibration). The framework's stores do not say
 * which step a consultation advised; they say which agent asked and when (`confidence_metrics.json`),
 * and when each agent step ran. A consultation is linked to the step whose run contains it:
 * - by the (workflow, step) pseudonym when both events carry it (in-process hosts do);
 * - otherwise by time: same agent, and the consultation's instant within the step's start..end
 *   (± LINK_SLACK_MS: the two stores take their clocks at slightly different moments).
 * Either side may come first (stores are read in a fixed order, a step's outcome is often read in a
 * later collection than its consultations), so both wait in the book, bounded.
 */

/** Clock skew allowed between a step's start/end and a consultation inside it. */
export const LINK_SLACK_MS = 1_000;
/** How long either side waits for the other, measured from the newest instant in the book. */
export const LINK_WINDOW_MS = 2 * 86_400_000;
/** Most entries per side: the state file stays small whatever a project does. */
export const LINK_LIMIT = 2_000;

export function emptyLinks(): Links {
  return { consultations: [], steps: [] };
}

export function decileOf(confidence: number): number {
  return Math.max(0, Math.min(9, Math.floor(confidence / 10)));
}

/** Whether step `s` is the one consultation `c` advised. */
export function advises(c: ConsultationLink, s: StepLink): boolean {
  if (c.step !== undefined && s.step !== undefined) return c.step === s.step;
  return (
    c.agent !== undefined &&
    c.agent === s.agent &&
    c.at >= s.start - LINK_SLACK_MS &&
    c.at <= s.end + LINK_SLACK_MS
  );
}

/**
 * A consultation arrives: the outcome of the step it advised, 'ambiguous', or undefined (it waits).
 * A named step wins. Else the steps that contain the instant most closely (inside beats within the
 * slack: a retried step's attempts touch end to start); when several do and their outcomes differ,
 * the instant cannot tell them apart (the stores keep milliseconds) and the consultation is dropped
 * rather than credited to a guess.
 */
export function offerConsultation(book: LinkBook, c: ConsultationLink): boolean | 'ambiguous' | undefined {
  let bestDistance = Number.POSITIVE_INFINITY;
  let outcome: boolean | 'ambiguous' | undefined;
  for (const s of book.stepsNear(c)) {
    if (!advises(c, s)) continue;
    if (c.step !== undefined && s.step === c.step) return s.ok;
    const distance = Math.max(0, s.start - c.at, c.at - s.end);
    if (distance < bestDistance) {
      bestDistance = distance;
      outcome = s.ok;
    } else if (distance === bestDistance && outcome !== s.ok) outcome = 'ambiguous';
  }
  if (outcome === undefined) book.wait(c);
  return outcome;
}

/** A step's outcome arrives: the waiting consultations it settles leave the book; the step stays. */
export function offerStep(book: LinkBook, s: StepLink): ConsultationLink[] {
  const settled = book.waitingNear(s).filter((c) => advises(c, s));
  for (const c of settled) book.settle(c);
  book.addStep(s);
  return settled;
}

/** A book for the join, from the persisted arrays. */
export function linkBook(from?: Links): LinkBook {
  return new LinkBook(LINK_SLACK_MS, from);
}

/** Drops what waited too long (by event time, not the clock: collection may read a month at once). */
export function pruneLinks(book: Links): Links {
  let newest = Number.NEGATIVE_INFINITY;
  for (const c of book.consultations) if (c.at > newest) newest = c.at;
  for (const s of book.steps) if (s.end > newest) newest = s.end;
  const from = newest - LINK_WINDOW_MS;
  return {
    consultations: newestOf(
      book.consultations.filter((c) => c.at >= from),
      (c) => c.at,
    ),
    steps: newestOf(
      book.steps.filter((s) => s.end >= from),
      (s) => s.end,
    ),
  };
}

/**
 * The book after a flush: what is on disk now (another process may have changed it), less what
 * this process settled, plus what it added and did not settle. Applying deltas, not overwriting,
 * keeps a concurrent process's waiting entries.
 */
export function applyLinkChanges(
  disk: Links,
  mine: Links,
  added: ReadonlySet<string>,
  settled: ReadonlySet<string>,
): Links {
  const keep = <T extends { id: string }>(onDisk: T[], own: T[]): T[] => [
    ...onDisk.filter((x) => !settled.has(x.id) && !added.has(x.id)),
    ...own.filter((x) => added.has(x.id) && !settled.has(x.id)),
  ];
  return pruneLinks({
    consultations: keep(disk.consultations, mine.consultations),
    steps: keep(disk.steps, mine.steps),
  });
}

function newestOf<T>(items: T[], at: (x: T) => number): T[] {
  if (items.length <= LINK_LIMIT) return items;
  return [...items].sort((a, b) => at(a) - at(b)).slice(-LINK_LIMIT);
}
