import type { MachineIdentity } from './identity.ts';
import type { Where } from './walk.ts';

/** One refused string: where it is and which rule refused it; never the string itself. */
export interface GateFinding {
  /** RFC 6901 pointer; a flagged key appears in it as `#<position>` (see walk.ts pointerOf). */
  readonly pointer: string;
  readonly ruleId: string;
  readonly in: Where;
}

export interface GateReport {
  /** True when nothing was found: only then may the document leave the machine. */
  readonly ok: boolean;
  readonly findings: GateFinding[];
  /** Keys and string values scanned, repeats included. */
  readonly scannedStrings: number;
  /** Findings per rule id. */
  readonly counts: Record<string, number>;
}

export interface GateContext {
  /** This machine's identity (machineIdentity()); without it identity rules do not run. */
  readonly identity?: MachineIdentity;
  /**
   * Words the project declares sensitive (customer, product and code names): no pattern can
   * know that `Initech` is a customer, so the project says so.
   */
  readonly terms?: readonly string[];
}
