import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { exportCommand } from './export.ts';
import { resetCommand } from './reset.ts';
import { statusCommand } from './status.ts';
import { validateCommand } from './validate.ts';

/** Every `learning …` command the plugin contributes. */
export function learningCommands(rt: LearningRuntime): CommandSpec[] {
  return [exportCommand(rt), validateCommand(), statusCommand(rt), resetCommand(rt)];
}
