import type { GateReport } from './gate-types.ts';

/** The export metadata's `privacy.redaction` block (schema/export-v1.ts RedactionReport). */
export interface RedactionSummary {
  scannedStrings: number;
  findings: number;
  rules: Record<string, number>;
}

/** Counts only: which rules fired how often, never where or what. */
export function redactionReport(report: GateReport): RedactionSummary {
  return {
    scannedStrings: report.scannedStrings,
    findings: report.findings.length,
    rules: { ...report.counts },
  };
}
