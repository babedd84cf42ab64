import { PassThrough, Writable } from 'node:stream';
import { main } from '../../../lib/cli/main.ts';

class Capture extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(
    readonly isTTY: boolean,
    private readonly onText?: (text: string) => void,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    const b = Buffer.from(chunk);
    this.chunks.push(b);
    this.onText?.(b.toString('utf8'));
    cb();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The questions asked, in order (the text before `[y/N]`). */
  prompts: string[];
}

/**
 * Runs the tapps-agents runner in this process. With `answers`, stdin and stderr are terminals
 * (isTTY) and each `[y/N]` prompt gets the next scripted answer; a prompt with no answer left gets
 * "n" and is recorded, so a test notices a question it did not expect.
 */
export async function run(
  argv: string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; answers?: string[]; tty?: boolean },
): Promise<Run> {
  const tty = o.tty ?? o.answers !== undefined;
  const answers = [...(o.answers ?? [])];
  const prompts: string[] = [];
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = tty;
  let pending = '';
  const stderr = new Capture(tty, (text) => {
    pending += text;
    const at = pending.lastIndexOf('[y/N] ');
    if (at < 0) return;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: readline's cursor codes are stripped from the question
    const plain = pending.slice(0, at).replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    const question = plain.split('\n').at(-1)?.trim() ?? '';
    pending = '';
    prompts.push(question);
    const answer = answers.shift() ?? 'n';
    setImmediate(() => stdin.write(`${answer}\r`));
  });
  const stdout = new Capture(tty);
  if (!tty) stdin.end();
  const code = await main(argv, {
    stdout,
    stderr,
    stdin,
    env: o.env,
    cwd: o.cwd,
    self: '/nonexistent/tapps-agents',
  });
  stdin.destroy();
  return { code, stdout: stdout.text, stderr: stderr.text, prompts };
}
