import { OTHER } from '../rollup/limits.ts';

/**
 * What to do about an error type, keyed by the labels lib/privacy/error-type.ts produces: Python's
 * and the framework's exception names, or a category inferred from the message. Fixed text only:
 * nothing of the failure itself reaches a hint.
 */
const HINTS: Record<string, string> = {
  timeout: 'raise the step timeout or split the task into smaller steps',
  'rate-limit': "lower parallelism or add backoff between model calls; check the provider's quota",
  permission: 'check file permissions and the credentials the agent runs with',
  'not-found': "make sure the step's input artifacts exist before it runs (the workflow's `requires`)",
  network: 'check network access to the model provider; transient errors pass with retries and backoff',
  syntax: 'run the formatter and linter on generated code before the step ends',
  assertion:
    'a test failed: let the tester step run the tests before review, and feed failures back to the implementer',
  validation:
    "validate inputs and config before the step; check the output format the step's prompt asks for",
  'quality-gate':
    'the quality gate refused the result: see which score fell short, then improve the prompt or adjust the threshold',
  dependency: 'install the missing dependency, or pin its version in the project',
  cancelled: 'the run was interrupted; only a concern if it happens often (then check timeouts)',
  unknown: "no type was reported: see the framework's log for the failing step",
  TimeoutError: 'raise the step timeout or split the task into smaller steps',
  CancelledError: 'the run was interrupted; only a concern if it happens often (then check timeouts)',
  KeyboardInterrupt: 'the run was stopped by hand; nothing to prevent',
  InterruptedError: 'the run was interrupted; only a concern if it happens often (then check timeouts)',
  PermissionError: 'check file permissions and the credentials the agent runs with',
  FileNotFoundError: "make sure the step's input artifacts exist before it runs (the workflow's `requires`)",
  FileExistsError: 'clean up artifacts of earlier runs, or let the step overwrite its own output',
  IsADirectoryError: 'a step got a folder where it expects a file: check the paths in the workflow',
  NotADirectoryError: 'a step got a file where it expects a folder: check the paths in the workflow',
  ConnectionError:
    'check network access to the model provider; transient errors pass with retries and backoff',
  ConnectionRefusedError: 'the service the step calls is not running: start it or fix its address',
  ConnectionResetError: 'the connection dropped: retries with backoff usually pass',
  ConnectionAbortedError: 'the connection dropped: retries with backoff usually pass',
  BrokenPipeError: 'a child process ended early: run the step by hand to see its output',
  HTTPError: "check the service's status code and the credentials the step sends",
  SyntaxError: 'run the formatter and linter on generated code before the step ends',
  IndentationError: 'run the formatter on generated code before the step ends',
  TabError: 'run the formatter on generated code before the step ends',
  JSONDecodeError: 'a model answer or a store was not valid JSON: ask for structured output, and retry',
  UnicodeDecodeError: 'a file is not UTF-8: set the encoding the step reads with',
  UnicodeEncodeError: 'set PYTHONIOENCODING=utf-8 for the framework, or avoid non-ASCII output',
  UnicodeError: 'a file is not UTF-8: set the encoding the step reads with',
  AssertionError:
    'a test failed: let the tester step run the tests before review, and feed failures back to the implementer',
  ValueError:
    "validate inputs and config before the step; check the output format the step's prompt asks for",
  ValidationError:
    "validate inputs and config before the step; check the output format the step's prompt asks for",
  TypeError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  KeyError: 'a defect or a missing field in a model answer: ask for structured output and validate it',
  IndexError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  AttributeError: 'a defect in the code path of the step, often a version mismatch: upgrade the framework',
  NameError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  UnboundLocalError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  LookupError: 'a defect or a missing field in a model answer: ask for structured output and validate it',
  NotImplementedError:
    'the step calls a feature this framework version does not have: upgrade or pick another preset',
  ImportError: 'install the missing dependency, or pin its version in the project',
  ModuleNotFoundError: 'install the missing dependency, or pin its version in the project',
  MemoryError: 'the task is too large for one step: split it',
  RecursionError: 'the task is too deep for one step: split it',
  OverflowError: 'a number grew out of range: report it with the step name',
  ZeroDivisionError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  ArithmeticError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  FloatingPointError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  OSError: 'check disk space and file access in the workspace',
  BlockingIOError:
    'another process holds a file the step needs: avoid running workflows in parallel on one tree',
  ChildProcessError: 'a command the step ran failed: run it by hand to see its output',
  CalledProcessError: 'a command the step ran failed: run it by hand to see its output',
  ProcessLookupError: 'a process the step waited for is gone: check for crashes in its log',
  EOFError: 'the step read from a closed input: run it non-interactively (no prompts)',
  BufferError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  ReferenceError:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  StopIteration:
    'a defect in the code path of the step: report it to the framework maintainers with the step name',
  SystemError: 'the Python interpreter failed: upgrade it, and report the step if it repeats',
  RuntimeError: "a generic failure: see the framework's log for the failing step",
  Exception: "a generic failure: see the framework's log for the failing step",
  AgentError: "the agent could not finish: see the framework's log, and consider a smaller task",
  WorkflowError:
    'the workflow definition or state is inconsistent: validate the workflow file, or start it afresh',
  StepExecutionError:
    'a step failed: the project step-failure policy (retry, skip or escalate) decides what happens next',
  HandlerError: "an agent handler failed: see the framework's log for the failing step",
  SkillInvocationError: 'the skill could not be invoked: check the skill is installed for this agent',
  GateFailedError:
    'the quality gate refused the result: see which score fell short, then improve the prompt or adjust the threshold',
  QualityGateError:
    'the quality gate refused the result: see which score fell short, then improve the prompt or adjust the threshold',
  ConfigurationError: 'fix .tapps-agents/config.yaml (run `tapps-agents doctor`)',
  ExpertError: 'an expert consultation failed: check the expert configuration (experts.yaml)',
  BeadsError: 'install `bd`, or set beads.required: false in .tapps-agents/config.yaml',
};

const PSEUDONYM = /^p_[0-9a-f]{16}$/;

/** The prevention hint for an error label; every label gets one. */
export function preventionHint(errorType: string): string {
  if (Object.hasOwn(HINTS, errorType)) return HINTS[errorType] as string;
  if (errorType === OTHER)
    return 'several rarer error types share this bucket: see the framework log for which';
  if (PSEUDONYM.test(errorType)) return "a project-specific error type: see your project's logs";
  return "see the framework's log for the failing step; no specific advice for this error type";
}
