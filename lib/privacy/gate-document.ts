import type { GateContext, GateFinding, GateReport } from './gate-types.ts';
import { identityMatcher } from './identity-match.ts';
import { isCardNumber } from './luhn.ts';
import { isSecretKey, isSecretValueUnderKey } from './rules-secrets.ts';
import { contentRuleIds } from './scan-string.ts';
import { secretlintScan } from './secretlint-scan.ts';
import { type PathNode, pointerOf, type Seg, type Where, walkStrings } from './walk.ts';

/**
 * The second wall. Scans every key and string value of a JSON-like document (any depth; byte
 * arrays as text) with the content rules, secretlint's preset and this machine's identity, and
 * reports where each hit is. A document leaves only when `ok`. Two passes: the first collects the
 * distinct strings (exports repeat a few thousand strings many times) and scans each once; the
 * second, run only when something was found, builds the pointers.
 */
export async function gate(doc: unknown, ctx: GateContext = {}): Promise<GateReport> {
  const matcher = identityMatcher(ctx.identity, ctx.terms);
  const unique = new Set<string>();
  let scanned = 0;
  let contextual = false;
  walkStrings(doc, {
    string(text, where, _parent, seg) {
      scanned++;
      unique.add(text);
      if (where === 'value' && isSecretUnder(seg, text)) contextual = true;
    },
    bigNumber(digits) {
      if (isCardNumber(digits)) contextual = true;
    },
  });

  const flagged = new Map<string, readonly string[]>();
  for (const text of unique) {
    const content = contentRuleIds(text);
    const identity = matcher.size > 0 ? matcher.match(text) : [];
    if (content.length > 0 || identity.length > 0) flagged.set(text, [...content, ...identity]);
  }
  for (const [text, ids] of await secretlintScan(unique))
    flagged.set(text, [...(flagged.get(text) ?? []), ...ids]);

  if (flagged.size === 0 && !contextual)
    return { ok: true, findings: [], scannedStrings: scanned, counts: {} };
  const findings = locate(doc, flagged);
  return { ok: findings.length === 0, findings, scannedStrings: scanned, counts: countByRule(findings) };
}

function locate(doc: unknown, flagged: ReadonlyMap<string, readonly string[]>): GateFinding[] {
  const findings: GateFinding[] = [];
  const seen = new Set<string>();
  const masked = (key: string) => flagged.has(key);
  const add = (parent: PathNode | null, seg: Seg, keyIndex: number, where: Where, ruleId: string) => {
    const pointer = pointerOf(parent, seg, keyIndex, masked);
    const id = `${where}\u0000${pointer}\u0000${ruleId}`;
    if (seen.has(id)) return;
    seen.add(id);
    findings.push({ pointer, ruleId, in: where });
  };
  walkStrings(doc, {
    string(text, where, parent, seg, keyIndex) {
      const ids = flagged.get(text);
      if (ids) for (const ruleId of ids) add(parent, seg, keyIndex, where, ruleId);
      if (where === 'value' && isSecretUnder(seg, text))
        add(parent, seg, keyIndex, where, 'secret/keyed-value');
    },
    bigNumber(digits, parent, seg, keyIndex) {
      if (isCardNumber(digits)) add(parent, seg, keyIndex, 'value', 'pii/card-number');
    },
  });
  return findings;
}

function isSecretUnder(seg: Seg, text: string): boolean {
  return typeof seg === 'string' && isSecretKey(seg) && isSecretValueUnderKey(text);
}

function countByRule(findings: readonly GateFinding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return counts;
}
