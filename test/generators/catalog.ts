/** What the generated project runs: the framework's preset workflows, one project workflow, experts. */
export interface StepDef {
  id: string;
  agent: string;
  action: string;
  /** Expert domains the step's agent consults. */
  consults?: readonly string[];
}

export interface WorkflowDef {
  id: string;
  name: string;
  version: string;
  steps: readonly StepDef[];
}

const enhance: StepDef = { id: 'enhance', agent: 'enhancer', action: 'enhance_prompt' };
const planning: StepDef = { id: 'planning', agent: 'planner', action: 'create_stories' };
const requirements: StepDef = { id: 'requirements', agent: 'analyst', action: 'gather_requirements' };
const design: StepDef = {
  id: 'design',
  agent: 'architect',
  action: 'design_system',
  consults: ['software-architecture', 'security'],
};
const implementation: StepDef = {
  id: 'implementation',
  agent: 'implementer',
  action: 'write_code',
  consults: ['security', 'performance-optimization'],
};
const review: StepDef = {
  id: 'review',
  agent: 'reviewer',
  action: 'review_code',
  consults: ['security', 'performance-optimization', 'code-quality-analysis', 'api-design-integration'],
};
const testing: StepDef = {
  id: 'testing',
  agent: 'tester',
  action: 'write_tests',
  consults: ['testing-strategies'],
};
const complete: StepDef = { id: 'complete', agent: 'orchestrator', action: 'finalize' };

export const WORKFLOWS: readonly WorkflowDef[] = [
  {
    id: 'rapid-dev',
    name: 'Rapid Development',
    version: '1.0.0',
    steps: [enhance, planning, implementation, review, testing, complete],
  },
  {
    id: 'fix',
    name: 'Fix',
    version: '1.0.0',
    steps: [
      enhance,
      { id: 'debug', agent: 'debugger', action: 'analyze_error', consults: ['performance-optimization'] },
      { ...implementation, id: 'fix' },
      review,
      testing,
      complete,
    ],
  },
  {
    id: 'quality',
    name: 'Quality Improvement',
    version: '1.0.0',
    steps: [
      { ...review, id: 'initial_review' },
      { id: 'refactor', agent: 'improver', action: 'refactor' },
      { ...review, id: 're_review' },
      testing,
      complete,
    ],
  },
  {
    id: 'full-sdlc',
    name: 'Full SDLC Pipeline',
    version: '1.0.0',
    steps: [
      requirements,
      planning,
      design,
      { id: 'api_design', agent: 'designer', action: 'api_design', consults: ['api-design-integration'] },
      implementation,
      review,
      testing,
      {
        id: 'security',
        agent: 'ops',
        action: 'security_scan',
        consults: ['security', 'cloud-infrastructure'],
      },
      { id: 'documentation', agent: 'documenter', action: 'generate_docs' },
      complete,
    ],
  },
  {
    id: 'ledger-close',
    name: 'Initech Ledger Close',
    version: '1.2.0',
    steps: [
      requirements,
      design,
      implementation,
      {
        id: 'ledger-sync',
        agent: 'implementer',
        action: 'sync_initech_ledgers',
        consults: ['initech-ledger-rules'],
      },
      review,
      complete,
    ],
  },
];

/** `simple-mode build` steps: the first checkpoint is named for the action, the others for their agent. */
export const BUILD_STEPS: readonly StepDef[] = [
  { id: 'enhance', agent: 'enhancer', action: 'enhance' },
  { id: 'planner', agent: 'planner', action: 'create-story' },
  { id: 'architect', agent: 'architect', action: 'design-system', consults: ['software-architecture'] },
  { id: 'designer', agent: 'designer', action: 'design-api' },
  { id: 'implementer', agent: 'implementer', action: 'implement', consults: ['security'] },
  { id: 'reviewer', agent: 'reviewer', action: 'review', consults: ['security', 'code-quality-analysis'] },
  { id: 'tester', agent: 'tester', action: 'test' },
];

export const STORY_STEP: StepDef = { id: 'implement', agent: 'implementer', action: 'implement' };

/** Expert id per domain; the project's own expert keeps its mixed-case id, as users write it. */
export const EXPERTS: ReadonlyMap<string, string> = new Map([
  ['security', 'expert-security'],
  ['performance-optimization', 'expert-performance'],
  ['testing-strategies', 'expert-testing'],
  ['software-architecture', 'expert-software-architecture'],
  ['api-design-integration', 'expert-api-design'],
  ['code-quality-analysis', 'expert-code-quality'],
  ['cloud-infrastructure', 'expert-cloud-infrastructure'],
  ['data-privacy-compliance', 'expert-data-privacy'],
  ['agent-learning', 'expert-agent-learning'],
  ['initech-ledger-rules', 'expert-Initech-ledger-rules'],
]);

export const SELECTION_REASONS = [
  'weight_matrix',
  'domain_match_builtin',
  'domain_match_customer',
  'fallback_builtin',
];

export const ERROR_TYPES = ['RuntimeError', 'ValueError', 'TimeoutError', 'OSError', 'TypeError'];
