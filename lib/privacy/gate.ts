/**
 * The privacy gate: the second wall before any byte leaves the machine. The export builder gates
 * the document, then gates the exact bytes it would write or send; a refusal prints places and
 * rule ids, never values. Implementation in the gate-* and rules-* files beside this one.
 */
export {
  DEFAULT_GATE_BYTES_LIMITS,
  type GateBytesContext,
  type GateBytesLimits,
  type GateBytesReport,
  gateBytes,
} from './gate-bytes.ts';
export { gate } from './gate-document.ts';
export { formatGateRefusal } from './gate-refusal.ts';
export type { GateContext, GateFinding, GateReport } from './gate-types.ts';
export { type MachineIdentity, machineIdentity } from './identity.ts';
export { type RedactionSummary, redactionReport } from './redaction-report.ts';
