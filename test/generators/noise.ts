import { CANARIES } from './canaries.ts';
import type { Gen } from './gen.ts';
import { dumps, f } from './py-json.ts';

/** A `tapps-agents health check` run: one line per check (absolute paths in `details`). Not read. */
export function healthCheck(g: Gen, us: number): void {
  if (!g.opts.noise) return;
  for (const check of ['environment', 'execution', 'knowledge_base'] as const) {
    const score = g.rng.int(60, 100);
    g.sinks.line(
      `health/metrics/health_${g.clock.utcDate(us)}.jsonl`,
      dumps({
        check_name: check,
        status: score >= 95 ? 'healthy' : score >= 85 ? 'degraded' : 'unhealthy',
        score: f(score),
        timestamp: g.clock.utc(us),
        details: { kb_dir: `${CANARIES.projectRoot}/.tapps-agents/kb`, window_days: 30 },
        remediation: null,
        message: `Score ${score}`,
      }),
      us,
    );
  }
}
