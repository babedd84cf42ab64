import type * as v from 'valibot';

/** A config that cannot be used: names the file and the key, and says what to do. */
export class ConfigError extends Error {
  constructor(
    readonly file: string | null,
    readonly problems: string[],
  ) {
    super(
      `invalid configuration${file ? ` in ${file}` : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fix these keys (see README "Configuration") and run the command again.',
    );
    this.name = 'ConfigError';
  }
}

export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    const unknownKey = issue.kind === 'schema' && issue.expected === 'never';
    const what = unknownKey ? 'unknown key' : issue.message;
    return `${path || '(top level)'}: ${what}`;
  });
}
