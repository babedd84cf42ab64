import type { Rng } from './prng.ts';

/**
 * Sensitive strings planted in the free-text fields the framework fills (errors, prompts, expert
 * queries, artifact paths, memory context), the way real use puts them there. None may ever reach an
 * export. Distinct from the shared fixture's canaries, so a test cannot pass by reading the fixture.
 */
export const PROJECT_ROOT = '/home/dana/ledgerly-api';
export const CANARIES = {
  sourcePath: `${PROJECT_ROOT}/src/ledger/settlement_matcher.py`,
  projectRoot: PROJECT_ROOT,
  windowsPath: 'C:\\Users\\dana\\ledgerly-api\\src\\ledger\\posting.py',
  fileName: 'settlement_matcher.py',
  email: 'dana.k@ledgerly.example',
  host: 'ci-runner-07.ledgerly.internal',
  gitRemote: 'git@github.com:ledgerly/ledger-api.git',
  awsKey: 'AKIAZ4LEDGERLYQ7X2M9',
  githubToken: 'ghp_Q3vN8kLd2RtY6pWm1ZxC4bH7sJf9aE0uTgKo',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkYW5hIiwiY3VzdCI6IkluaXRlY2gifQ.bGVkZ2VybHlfZml4dHVyZV9zaWc',
  code: 'def post_settlement(',
  functionName: 'post_settlement',
  customer: 'Initech',
} as const;

export function canaryList(): string[] {
  return Object.values(CANARIES);
}

const C = CANARIES;

export function errorText(rng: Rng): string {
  return rng.pick([
    `Traceback (most recent call last):\n  File "${C.windowsPath}", line 88, in ${C.functionName}\n    raise LedgerError(resp.text)\nLedgerError: 409 duplicate settlement`,
    `botocore.exceptions.ClientError: InvalidClientTokenId (AccessKeyId=${C.awsKey})`,
    `AssertionError: expected 401 for Authorization: Bearer ${C.jwt}`,
    `Invalid skill command (malformed quotes): implementer write-code --specification "{\n  "description": "Move ${C.githubToken} out of settings.py"\n}...`,
    `mypy: 7 errors in 3 files (checked 41 source files) in ${C.sourcePath}`,
    `git push ${C.gitRemote} failed on ${C.host}: permission denied`,
    `ruff: 12 violations (E501, F401) in ${C.fileName}`,
  ]);
}

export function promptText(rng: Rng): string {
  return rng.pick([
    `Fix rounding in ${C.fileName} for partial settlements (reported by ${C.email})`,
    `CI on ${C.host} fails pushing to ${C.gitRemote}; fix the release job`,
    `Make ${C.functionName} idempotent for ${C.customer} retries`,
    `Remove the hard-coded key ${C.awsKey} from settings.py and read it from the environment`,
  ]);
}

export function codeQuery(rng: Rng): string {
  return rng.pick([
    `Review this code for security vulnerabilities:\nimport os\n\n${C.code}customer_id: str, amount):\n    token = "${C.githubToken}"\n    return ledger.post(customer_id, amount)\n`,
    `How to structure ${C.fileName} for out-of-order events from ${C.customer}?`,
    `Provide best practices for generating unit tests for: ${C.fileName}. Focus on test coverage.`,
    `Is it safe to log the Authorization header (${C.jwt}) in ${C.sourcePath}?`,
  ]);
}

export function artifactPaths(rng: Rng, n: number): string[] {
  const files = [
    C.sourcePath,
    `${C.projectRoot}/src/ledger/posting.py`,
    `${C.projectRoot}/tests/ledger/test_settlement_matcher.py`,
    `${C.projectRoot}/docs/prd/epic-7-initech-ledger.md`,
    `${C.projectRoot}/enhanced-requirements.md`,
  ];
  return Array.from({ length: n }, () => rng.pick(files));
}
