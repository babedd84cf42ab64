import { createInterface } from 'node:readline';
import type { CommandContext } from '../../hooks/command-registry.ts';

/** Human text goes to stderr; stdout carries only machine-readable results (CONVENTIONS.md). */
export function say(ctx: Pick<CommandContext, 'stderr'>, text: string): void {
  ctx.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function colorEnabled(ctx: Pick<CommandContext, 'env'>, stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && !ctx.env.NO_COLOR && ctx.env.TERM !== 'dumb';
}

export function isInteractive(ctx: Pick<CommandContext, 'stdin' | 'stderr' | 'env'>): boolean {
  return ctx.stdin.isTTY === true && ctx.stderr.isTTY === true && !isCi(ctx.env);
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CI && env.CI !== 'false' && env.CI !== '0');
}

/**
 * Asks a yes/no question on a terminal; answers no without asking when nobody can answer (no TTY,
 * CI), so a script never hangs on a prompt.
 */
export async function confirm(
  ctx: Pick<CommandContext, 'stdin' | 'stderr' | 'env'>,
  question: string,
): Promise<boolean> {
  if (!isInteractive(ctx)) return false;
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: true });
  try {
    const answer: string = await new Promise((resolve) => rl.question(`${question} [y/N] `, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  gate: 3,
  consent: 4,
  io: 5,
} as const;
