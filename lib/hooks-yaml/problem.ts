/** Why a hooks.yaml cannot be edited, and where: 1-based line (and column) when known. */
export interface HooksYamlProblem {
  line?: number;
  column?: number;
  message: string;
}

export class HooksYamlError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly HooksYamlProblem[],
    /** What the user can do about it. */
    readonly hint: string,
  ) {
    super(problems.map((p) => `${where(file, p)}: ${p.message}`).join('\n'));
    this.name = 'HooksYamlError';
  }
}

/** `path:line:column`, the form editors and terminals turn into links. */
export function where(file: string, p: Pick<HooksYamlProblem, 'line' | 'column'>): string {
  if (p.line === undefined) return file;
  return p.column === undefined ? `${file}:${p.line}` : `${file}:${p.line}:${p.column}`;
}
