import { KNOWN_ERROR_TYPES } from './known-names.ts';

/**
 * The error type, never the message: messages carry paths, prompts and tokens. A known exception
 * name stays readable, an unknown one becomes a category; a message only helps pick the category.
 */
export function errorLabel(errorType: string | undefined, message: string | undefined): string | undefined {
  const typed = errorType?.trim();
  if (typed) return knownOrCategory(lastSegment(typed), message);
  if (!message) return undefined;
  const lead = /^\s*([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Timeout))\b/.exec(message)?.[1];
  return knownOrCategory(lead ? lastSegment(lead) : undefined, message);
}

function lastSegment(name: string): string {
  return name.split('.').pop() ?? name;
}

function knownOrCategory(name: string | undefined, message: string | undefined): string {
  if (name && KNOWN_ERROR_TYPES.has(name)) return name;
  return categoryOf(`${name ?? ''} ${message?.slice(0, 2000) ?? ''}`);
}

const RULES: [RegExp, string][] = [
  [/time[d\s-]?out|timed out|deadline/i, 'timeout'],
  [/rate.?limit|too many requests|\b429\b|quota/i, 'rate-limit'],
  [/permission|access denied|forbidden|unauthori[sz]ed|\b40[13]\b/i, 'permission'],
  [/not found|no such file|does not exist|missing|\b404\b/i, 'not-found'],
  [/connection|network|socket|dns|econn|unreachable/i, 'network'],
  [/syntax|parse error|unexpected token|indentation/i, 'syntax'],
  [/assert/i, 'assertion'],
  [/quality gate|gate failed|score below/i, 'quality-gate'],
  [/invalid|validation|schema|must be|expected/i, 'validation'],
  [/import|module|dependency|package/i, 'dependency'],
  [/cancel|interrupt|abort/i, 'cancelled'],
];

function categoryOf(text: string): string {
  for (const [re, category] of RULES) if (re.test(text)) return category;
  return 'unknown';
}
