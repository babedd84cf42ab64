import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { aggregateCommand } from './aggregate.ts';
import { collectCommand } from './collect.ts';
import { consentCommands } from './consent.ts';
import { dashboardCommand } from './dashboard.ts';
import { exportCommand } from './export.ts';
import { hubServeCommand } from './hub.ts';
import { installHooksCommand } from './install-hooks.ts';
import { receiptsCommand } from './receipts.ts';
import { resetCommand } from './reset.ts';
import { rotateIdCommand } from './rotate-id.ts';
import { statusCommand } from './status.ts';
import { submitCommand } from './submit.ts';
import { uninstallHooksCommand } from './uninstall-hooks.ts';
import { validateCommand } from './validate.ts';
import { watchCommand } from './watch.ts';

/**
 * Every `learning …` command the plugin contributes. A spec (path, summary, options, example) is
 * cheap to build and list; each command imports its implementation (lib/cli/actions) only when it
 * runs, so `learning collect` does not load the hub, the dashboard or the submit transports.
 */
export function learningCommands(rt: LearningRuntime): CommandSpec[] {
  return [
    collectCommand(rt),
    exportCommand(rt),
    validateCommand(),
    statusCommand(rt),
    resetCommand(rt),
    rotateIdCommand(rt),
    submitCommand(rt),
    ...consentCommands(rt),
    receiptsCommand(rt),
    dashboardCommand(rt),
    hubServeCommand(rt),
    aggregateCommand(),
    installHooksCommand(rt),
    uninstallHooksCommand(rt),
    watchCommand(rt),
  ];
}
