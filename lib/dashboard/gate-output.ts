import type { Dashboard } from '../../schema/dashboard.ts';
import { type GateContext, type GateFinding, type GateReport, gate, gateBytes } from '../privacy/gate.ts';

/**
 * Sentences the dashboard writes itself: verdict reasons, trend summaries, prevention hints. They
 * are built from fixed templates, numbers and labels that appear again as label fields of the model
 * (where every rule applies), so only the "free text" rule is waived there, never the others.
 */
const PROSE =
  /^\/(?:verdict\/(?:reason|notes\/\d+)|(?:security|patterns|decisions|calibration)\/reason|.+\/(?:summary|hint))$/;

/** Rules that judge a string's shape (code, prose, custom names) rather than its content. */
const SHAPE_RULES = /^(?:text|code|name)\//;

export interface DashboardOutput {
  model: Dashboard;
  /** The exact `--json` bytes, or the JSON block of the HTML page. */
  json?: Uint8Array;
  /** The terminal text. */
  text?: string;
  /** The HTML page's title. */
  title?: string;
}

/**
 * The privacy gate over what the dashboard is about to print or write: the model, and the exact
 * JSON bytes, terminal text or title made from it. The gate's rules are those of the export
 * (secrets, paths, e-mails, this machine's identity, code), with the one waiver above.
 */
export async function gateDashboard(out: DashboardOutput, ctx: GateContext): Promise<GateReport> {
  const reports: {
    findings: readonly GateFinding[];
    scannedStrings: number;
    keep: (f: GateFinding) => boolean;
  }[] = [];
  const notProse = (f: GateFinding) => !(f.ruleId === 'text/free-text' && PROSE.test(f.pointer));
  reports.push({ ...(await gate(out.model, ctx)), keep: notProse });
  if (out.json) reports.push({ ...(await gateBytes(out.json, ctx)), keep: notProse });
  if (out.text !== undefined) {
    // Every line is template text around values the model carries (and the model passed every rule
    // above). Tables wrap long labels across lines, which gives shape rules (code, free text, names)
    // half-words to misjudge; the content rules (secrets, paths, PII, identity) still run on each line.
    const r = await gate({ terminal: out.text.split('\n') }, ctx);
    reports.push({ ...r, keep: (f) => !SHAPE_RULES.test(f.ruleId) });
  }
  if (out.title !== undefined) {
    const r = await gate({ title: out.title }, ctx);
    reports.push({ ...r, keep: (f) => f.ruleId !== 'text/free-text' });
  }
  const findings = reports.flatMap((r) => r.findings.filter(r.keep));
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return {
    ok: findings.length === 0,
    findings,
    scannedStrings: reports.reduce((s, r) => s + r.scannedStrings, 0),
    counts,
  };
}
