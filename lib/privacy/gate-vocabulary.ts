import {
  ERROR_CATEGORIES,
  FRAMEWORK_ACTIONS,
  FRAMEWORK_AGENTS,
  FRAMEWORK_DOMAINS,
  FRAMEWORK_EXPERTS,
  FRAMEWORK_WORKFLOWS,
  PATTERN_TYPES,
  SELECTION_REASONS,
  SEVERITIES,
  SUB_SCORES,
} from './known-names.ts';

/**
 * Words the gate must let through. Exports are built from the framework's own vocabulary, our
 * schema's enums and the stores' names; a rule that flags such a word would refuse every export.
 * Everything here is in normalizeName() form (lower case, `-` between words).
 */
const EXPORT_ENUMS = `recorded empty not-recorded excluded no-data-yet framework-keeps-in-memory-only
  host-did-not-report excluded-by-user excluded-by-project-config below-k-threshold improving degrading
  flat not-enough-data live dormant missing success failure skipped completed failed cancelled paused
  blocked meets-threshold below-threshold other unknown none tapps-agents tapps-agents-python python-1.0`;

/** Store names (schema/stores.ts and tapps-data-formats.md section 5); health is keyed by them. */
const STORE_NAMES = `event-log markers analytics-workflows event-bus cursor-state build-checkpoints epic audit
  executions analytics-agents confidence-metrics expert-performance capabilities memories outcomes
  workflow-state workflow-events step-markers events analytics sessions health health-metrics
  evaluations memory execution-metrics workflow-metrics checkpoints rag-metrics expert-history`;

function normalize(word: string): string {
  return word
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

function words(list: string): string[] {
  return list.split(/\s+/).filter(Boolean);
}

export const FRAMEWORK_VOCABULARY: ReadonlySet<string> = new Set(
  [
    ...FRAMEWORK_AGENTS,
    ...FRAMEWORK_ACTIONS,
    ...FRAMEWORK_WORKFLOWS,
    ...FRAMEWORK_DOMAINS,
    ...FRAMEWORK_EXPERTS,
    ...SELECTION_REASONS,
    ...ERROR_CATEGORIES,
    ...SUB_SCORES,
    ...PATTERN_TYPES,
    ...SEVERITIES,
    ...words(EXPORT_ENUMS),
    ...words(STORE_NAMES),
  ].map(normalize),
);

/** True when a name, in any of the framework's spellings (`write_code`, `Write-Code`), is ours. */
export function isFrameworkWord(word: string): boolean {
  return FRAMEWORK_VOCABULARY.has(normalize(word));
}

/**
 * Values too common to identify anyone: default account and host names, CI runners, role accounts
 * (`maintainers@`, `support@`), folder names every project has. A machine whose user is `dev` or whose folder is `app` gets no identity rule
 * for that value (the path rules still catch `/home/dev/...`), because matching it would refuse
 * every export that says `rapid-dev` or `app`.
 */
const GENERIC = new Set(
  words(`root admin administrator user users runner runneradmin ubuntu debian fedora centos alpine node app
  apps dev developer devel test tests testing ci cd build builder localhost local localdomain main master
  origin upstream src source home work workspace workspaces project projects code repo repos git github
  gitlab bitbucket docker container default guest vagrant ec2-user www www-data web server host machine
  desktop laptop pc mac macbook linux windows darwin tmp temp data learning agent agents tapps plugin api
  service services python typescript javascript java go rust ruby php shell docs lib libs bin dist out
  example examples demo sample true false null undefined internal corp lan noreply users-noreply nobody
  daemon jenkins gitpod codespace codespaces vscode coder system sdk maintainer maintainers team teams
  support info contact hello office bot bots automation release releases ops security no-reply`),
);

export function isGenericWord(word: string): boolean {
  const w = normalize(word);
  return GENERIC.has(w) || FRAMEWORK_VOCABULARY.has(w);
}
