import { AsyncParallelHook, AsyncSeriesHook, SyncHook } from 'tapable';
import type {
  ConsultationEvent,
  SessionInfo,
  TaskCompletedEvent,
  WorkflowCompletedEvent,
} from '../schema/events.ts';
import type { CommandRegistry } from './command-registry.ts';

export interface HostHooks {
  /** A host command begins. */
  sessionStart: AsyncSeriesHook<[SessionInfo]>;
  /** One agent step or task ended (success, failure or skip). */
  taskCompleted: AsyncSeriesHook<[TaskCompletedEvent]>;
  workflowCompleted: AsyncSeriesHook<[WorkflowCompletedEvent]>;
  consultationCompleted: AsyncSeriesHook<[ConsultationEvent]>;
  /** A host command ends; plugins flush here, in parallel. */
  sessionEnd: AsyncParallelHook<[SessionInfo]>;
  /** The CLI is being built; plugins contribute commands. */
  commands: SyncHook<[CommandRegistry]>;
}

export function createHostHooks(): HostHooks {
  return {
    sessionStart: new AsyncSeriesHook(['session'], 'sessionStart'),
    taskCompleted: new AsyncSeriesHook(['event'], 'taskCompleted'),
    workflowCompleted: new AsyncSeriesHook(['event'], 'workflowCompleted'),
    consultationCompleted: new AsyncSeriesHook(['event'], 'consultationCompleted'),
    sessionEnd: new AsyncParallelHook(['session'], 'sessionEnd'),
    commands: new SyncHook(['registry'], 'commands'),
  };
}
