import { pathToFileURL } from 'node:url';
import { gate } from '../../lib/privacy/gate.ts';
import type { MachineIdentity } from '../../lib/privacy/identity.ts';
import { FRAMEWORK_ACTIONS, FRAMEWORK_AGENTS, FRAMEWORK_DOMAINS } from '../../lib/privacy/known-names.ts';
import { clearContentCache } from '../../lib/privacy/scan-string.ts';
import { clearSecretlintCache } from '../../lib/privacy/secretlint-scan.ts';

/**
 * Gate time on a ~1 MB export. The document has the shape of a real v1 export: 64 capabilities
 * with duration and quality sketches (bins keyed by bucket index, as schema/rollup.ts has them),
 * two years of weekly series as number tuples, sub-scores, languages, errors, plus workflows,
 * experts, failures, security, effectiveness and health sections. Almost every string is short
 * and repeated, as in real exports.
 *
 * Two timings: cold (the gate's per-string caches emptied first: the first export of a process,
 * which is what `learning export` does) and warm (the same document gated again).
 */
export interface GateBenchResult {
  readonly name: string;
  readonly bytes: number;
  readonly scannedStrings: number;
  readonly coldMs: number[];
  readonly warmMs: number[];
  readonly medianColdMs: number;
  readonly medianWarmMs: number;
}

const IDENTITY: MachineIdentity = {
  userNames: ['marta'],
  homeDirs: ['/home/marta'],
  hostNames: ['zephyr-ws14.nordwind.lan', 'zephyr-ws14'],
  gitUserNames: ['Marta Kowalczyk'],
  gitEmails: ['marta.k@nordwind-labs.eu'],
  projectFolders: ['lumen-ledger'],
  gitRemotes: ['git@gitlab.nordwind.internal:nordwind-labs/lumen-ledger.git'],
  remoteParts: ['nordwind-labs', 'lumen-ledger', 'nordwind-labs/lumen-ledger', 'gitlab.nordwind.internal'],
};

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic export document of about `targetBytes` of JSON. */
export function benchDocument(targetBytes = 1_000_000, seed = 1): Record<string, unknown> {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const agents = [...FRAMEWORK_AGENTS];
  const actions = [...FRAMEWORK_ACTIONS];
  const mondays = Array.from({ length: 104 }, (_, i) =>
    new Date(Date.UTC(2024, 11, 2) + i * 7 * 86_400_000).toISOString().slice(0, 10),
  );
  const sketch = (binCount: number) => {
    const bins: Record<string, number> = {};
    const start = int(200) - 50;
    for (let i = 0; i < binCount; i++) bins[String(start + i)] = 1 + int(40);
    return {
      count: 500 + int(5000),
      zeros: int(3),
      sumMilli: int(1e9),
      min: r() * 10,
      max: 1000 + r() * 1e5,
      bins,
    };
  };
  const capability = (i: number, binCount: number) => {
    const name =
      i % 3 === 0
        ? `${agents[i % agents.length]}.p_${hex(16)}`
        : `${agents[i % agents.length]}.${actions[i % actions.length]}`;
    const weeks: Record<string, number[]> = {};
    for (const m of mondays) weeks[m] = [int(50), int(40), int(10), int(5), int(4_000_000), int(50)];
    return {
      name,
      runs: int(5000),
      successes: int(4000),
      failures: int(900),
      skips: int(50),
      retries: int(90),
      retrySuccesses: int(60),
      durationMs: sketch(binCount),
      quality: sketch(Math.ceil(binCount / 3)),
      subScores: Object.fromEntries(
        [
          'overall',
          'complexity',
          'security',
          'maintainability',
          'test-coverage',
          'performance',
          'linting',
        ].map((k) => [k, [int(5_000_000), int(500)]]),
      ),
      languages: { python: int(900), typescript: int(400), markdown: int(50), yaml: int(20), other: int(5) },
      weeks,
    };
  };
  const build = (binCount: number) => ({
    schemaVersion: '1.0',
    metadata: {
      exportId: hex(64),
      createdAt: '2026-11-24T03:00:00.000Z',
      producer: { name: '@tapps-agents/learning', version: '0.1.0' },
      framework: { name: 'tapps-agents', version: '3.6.3' },
      projectId: `p_${hex(16)}`,
      period: { firstWeek: mondays[0], lastWeek: mondays[mondays.length - 1] },
      raw: false,
      privacy: {
        policyVersion: '2026-11-1',
        k: 5,
        epsilon: null,
        suppressedCells: 3,
        redaction: { scannedStrings: 0, findings: 0, rules: {} },
      },
    },
    totals: { tasks: 91_234, workflowRuns: 3_120, consultations: 8_800 },
    capabilities: {
      status: 'recorded',
      items: Array.from({ length: 64 }, (_, i) => capability(i, binCount)),
    },
    workflows: {
      status: 'recorded',
      items: ['rapid-dev', 'fix', 'quality', 'full-sdlc', 'brownfield-analysis', `p_${hex(16)}`].map(
        (type) => ({
          type,
          runs: int(900),
          outcomes: {
            completed: int(600),
            failed: int(200),
            blocked: int(30),
            paused: int(9),
            cancelled: int(9),
          },
          durationMs: sketch(binCount),
          stepsTotal: int(9000),
          stepsCompleted: int(8000),
          stepsFailed: int(700),
          stepFailures: { 'implementer.write-code': int(90), 'tester.test': int(60), __other__: int(9) },
          errors: {
            TimeoutError: int(40),
            ValueError: int(30),
            RuntimeError: int(20),
            'quality-gate': int(10),
          },
          weeks: Object.fromEntries(mondays.map((m) => [m, [int(9), int(8), int(1), 0, 0, 0]])),
        }),
      ),
    },
    experts: {
      status: 'recorded',
      items: [...FRAMEWORK_DOMAINS].map((domain) => ({
        domain,
        consultations: int(900),
        confidence: sketch(60),
        meetsThreshold: int(600),
        belowThreshold: int(300),
        agreementSumMilli: int(900_000),
        agreementCount: int(900),
        experts: { [`expert-${domain.split('-')[0]}`]: int(500), [`p_${hex(16)}`]: int(90) },
        selectionReasons: { 'weight-matrix': int(300), 'domain-match-builtin': int(300), other: int(9) },
        askedBy: { implementer: int(300), reviewer: int(200), architect: int(90) },
        calibration: Object.fromEntries(
          Array.from({ length: 10 }, (_, d) => [String(d), [int(90), int(90)]]),
        ),
        weeks: Object.fromEntries(mondays.map((m) => [m, [int(9), int(6), int(3), 0, int(900_000), int(9)]])),
      })),
    },
    patterns: { status: 'not-recorded', reason: 'framework-keeps-in-memory-only', items: [] },
    decisions: { status: 'not-recorded', reason: 'framework-keeps-in-memory-only', items: [] },
    security: {
      status: 'recorded',
      items: Array.from({ length: 64 }, (_, i) => ({
        capability: `${agents[i % agents.length]}.${actions[i % actions.length]}`,
        rule: i % 2 === 0 ? `B${100 + (i % 60)}` : `p_${hex(16)}`,
        severity: ['low', 'medium', 'high', 'critical'][i % 4],
        count: 5 + int(90),
      })),
    },
    failures: {
      status: 'recorded',
      items: Array.from({ length: 64 * 8 }, (_, i) => ({
        capability: `${agents[i % agents.length]}.${actions[(i * 7) % actions.length]}`,
        errorType: ['TimeoutError', 'ValueError', 'RuntimeError', 'OSError', 'timeout', 'network', 'unknown'][
          i % 7
        ],
        count: 5 + int(90),
      })),
    },
    effectiveness: {
      status: 'recorded',
      items: Array.from({ length: 64 }, (_, i) => ({
        capability: `${agents[i % agents.length]}.${actions[i % actions.length]}`,
        verdict: ['improving', 'degrading', 'flat', 'not-enough-data'][i % 4],
        weeks: 104,
        firstWindow: { runs: int(900), successRate: r() },
        lastWindow: { runs: int(900), successRate: r() },
        successSlopePerWeek: { estimate: r() - 0.5, low: -1, high: 1 },
        qualitySlopePerWeek: null,
      })),
    },
    health: {
      status: 'recorded',
      items: [
        'workflow-state',
        'step-markers',
        'events',
        'analytics',
        'audit',
        'sessions',
        'expert-performance',
      ].map((store) => ({
        store,
        state: 'live',
        records: int(9000),
        skipped: int(9),
        lastWeek: mondays[103],
      })),
    },
  });
  // Grow the sketches until the JSON reaches the target size.
  let bins = 20;
  let doc = build(bins);
  for (let size = JSON.stringify(doc).length; size < targetBytes; size = JSON.stringify(doc).length) {
    bins = Math.ceil((bins * targetBytes) / size) + 1;
    doc = build(bins);
  }
  return doc;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export async function benchGate(samples = 15): Promise<GateBenchResult> {
  const doc = benchDocument();
  const bytes = JSON.stringify(doc).length;
  let scannedStrings = 0;
  // One run to load and compile everything (regexes, secretlint's rules) before timing.
  await gate(doc, { identity: IDENTITY });
  const coldMs: number[] = [];
  const warmMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    clearContentCache();
    clearSecretlintCache();
    let t = performance.now();
    const report = await gate(doc, { identity: IDENTITY });
    coldMs.push(performance.now() - t);
    if (!report.ok) throw new Error(`bench document refused: ${Object.keys(report.counts).join(', ')}`);
    scannedStrings = report.scannedStrings;
    t = performance.now();
    await gate(doc, { identity: IDENTITY });
    warmMs.push(performance.now() - t);
  }
  return {
    name: 'gate 1 MB export',
    bytes,
    scannedStrings,
    coldMs,
    warmMs,
    medianColdMs: median(coldMs),
    medianWarmMs: median(warmMs),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchGate();
  console.log(
    `${r.name}: ${r.bytes} bytes, ${r.scannedStrings} strings; median cold ${r.medianColdMs.toFixed(1)} ms, warm ${r.medianWarmMs.toFixed(1)} ms`,
  );
}
