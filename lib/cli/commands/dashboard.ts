import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

export function dashboardCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'dashboard'],
    summary: 'is the framework learning? verdict, trends, failures, experts and store health',
    description:
      'Computed from the rollups only: success rate, quality, durations and retries per capability; daily ' +
      'trends with intervals and a verdict; failures with prevention hints; security, patterns, decisions; ' +
      'expert confidence and calibration; store and hook health. The text goes to stderr (80 columns, colour ' +
      'on a terminal); --json prints the full model on stdout; --html writes one self-contained page.',
    example: 'tapps-agents learning dashboard --since 2026-10-01 --html learning-dashboard.html',
    options: [
      {
        flags: '--capability <name>',
        description: 'show one capability (agent.action), e.g. reviewer.review',
      },
      { flags: '--since <date>', description: 'count runs and trends from this UTC day on (YYYY-MM-DD)' },
      { flags: '--json', description: 'print the full dashboard model as JSON on stdout (never truncated)' },
      {
        flags: '--html <file>',
        description: 'write a self-contained HTML dashboard (charts; works offline)',
      },
    ],
    async run(ctx) {
      const { runDashboard } = await import('../actions/dashboard.ts');
      return runDashboard(rt, ctx);
    },
  };
}
