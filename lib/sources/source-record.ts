import type { ConsultationEvent, TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';

/** One event read from a store, tagged with the hook it belongs to. */
export type SourceRecord =
  | TaskRecord
  | { kind: 'workflow'; event: WorkflowCompletedEvent }
  | { kind: 'consultation'; event: ConsultationEvent };

export interface TaskRecord {
  kind: 'task';
  event: TaskCompletedEvent;
}
