/**
 * Names the framework itself ships (TappsCodingAgents 3.6–3.7: agents, their commands, preset
 * workflows, built-in expert domains and ids). They say nothing about a project, so they stay
 * readable and merge across projects; any other name is replaced by a keyed pseudonym.
 * All in normalizeName() form.
 */
export const FRAMEWORK_AGENTS: ReadonlySet<string> = new Set([
  'analyst', 'architect', 'debugger', 'designer', 'documenter', 'enhancer', 'evaluator', 'implementer',
  'improver', 'ops', 'orchestrator', 'planner', 'reviewer', 'tester', 'agent-learner', 'simple-mode',
]);

export const FRAMEWORK_ACTIONS: ReadonlySet<string> = new Set([
  'analyze-error', 'api-design', 'analyze', 'audit', 'build', 'create-stories', 'create-story', 'debug',
  'deploy', 'design', 'design-api', 'design-system', 'docs', 'document', 'enhance', 'enhance-prompt',
  'estimate', 'evaluate', 'explain', 'finalize', 'fix', 'gather-requirements', 'generate-docs',
  'generate-tests', 'implement', 'improve', 'lint', 'optimize', 'plan', 'refactor', 'requirements',
  'review', 'review-code', 'run-tests', 'score', 'security-scan', 'test', 'type-check', 'write-code',
  'write-tests', 'infrastructure-setup', 'compliance-check', 'duplication', 'report',
]);

export const FRAMEWORK_WORKFLOWS: ReadonlySet<string> = new Set([
  'rapid-dev', 'fix', 'quality', 'full-sdlc', 'brownfield-analysis', 'simple-full', 'simple-new-feature',
  'simple-fix', 'simple-improve', 'simple-quality', 'maintenance', 'feature-implementation', 'build',
  'story', 'epic', 'review', 'test', 'refactor', 'enterprise', 'hotfix',
]);

export const FRAMEWORK_DOMAINS: ReadonlySet<string> = new Set([
  'security', 'performance-optimization', 'testing-strategies', 'software-architecture',
  'api-design-integration', 'cloud-infrastructure', 'data-privacy-compliance', 'agent-learning',
  'code-quality-analysis', 'database-data-management', 'development-workflow',
  'documentation-knowledge-management', 'accessibility', 'user-experience', 'observability-monitoring',
  'ai-frameworks', 'ai-agent-framework', 'devops', 'general',
]);

export const FRAMEWORK_EXPERTS: ReadonlySet<string> = new Set([
  'expert-security', 'expert-performance', 'expert-testing', 'expert-software-architecture',
  'expert-api-design', 'expert-cloud-infrastructure', 'expert-data-privacy', 'expert-agent-learning',
  'expert-code-quality', 'expert-database', 'expert-development-workflow', 'expert-documentation',
  'expert-accessibility', 'expert-user-experience', 'expert-observability', 'expert-ai-frameworks',
  'expert-devops', 'expert-general',
]);

export const SELECTION_REASONS: ReadonlySet<string> = new Set([
  'weight-matrix', 'domain-match-builtin', 'domain-match-customer', 'fallback-builtin', 'fallback-all',
]);

/** Python's built-in exceptions and the framework's own error classes (kept as written). */
export const KNOWN_ERROR_TYPES: ReadonlySet<string> = new Set([
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BlockingIOError', 'BrokenPipeError',
  'BufferError', 'ChildProcessError', 'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError',
  'ConnectionResetError', 'EOFError', 'Exception', 'FileExistsError', 'FileNotFoundError',
  'FloatingPointError', 'ImportError', 'IndentationError', 'IndexError', 'InterruptedError',
  'IsADirectoryError', 'JSONDecodeError', 'KeyError', 'KeyboardInterrupt', 'LookupError', 'MemoryError',
  'ModuleNotFoundError', 'NameError', 'NotADirectoryError', 'NotImplementedError', 'OSError',
  'OverflowError', 'PermissionError', 'ProcessLookupError', 'RecursionError', 'ReferenceError',
  'RuntimeError', 'StopIteration', 'SyntaxError', 'SystemError', 'TabError', 'TimeoutError', 'TypeError',
  'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError', 'ValueError',
  'ZeroDivisionError', 'CancelledError', 'ValidationError', 'CalledProcessError', 'HTTPError',
  'AgentError', 'WorkflowError', 'StepExecutionError', 'HandlerError', 'SkillInvocationError',
  'GateFailedError', 'QualityGateError', 'ConfigurationError', 'ExpertError', 'BeadsError',
]);

/** Error categories inferred from a message when the host gives no type. */
export const ERROR_CATEGORIES = [
  'timeout', 'permission', 'not-found', 'network', 'syntax', 'assertion', 'validation', 'rate-limit',
  'quality-gate', 'dependency', 'cancelled', 'unknown',
] as const;

export const SUB_SCORES: ReadonlySet<string> = new Set([
  'overall', 'complexity', 'security', 'maintainability', 'test-coverage', 'performance', 'structure',
  'devex', 'linting', 'type-checking', 'duplication',
]);

export const PATTERN_TYPES: ReadonlySet<string> = new Set([
  'function', 'class', 'import', 'imports', 'structure', 'decorators', 'anti-pattern',
]);

export const SEVERITIES: ReadonlySet<string> = new Set(['info', 'low', 'medium', 'high', 'critical']);
