import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { DecodeError, decodeDocument } from '../../export/decode.ts';
import { validateDocument } from '../../export/validate.ts';
import { EXIT, say } from '../io.ts';

/** What `learning validate` does; its options and help are in ../commands/validate.ts. */
export async function runValidate(ctx: CommandContext): Promise<number> {
  const file = String(ctx.args[0]);
  let bytes: Uint8Array;
  try {
    bytes = file === '-' ? readFileSync(0) : readFileSync(resolve(ctx.cwd, file));
  } catch (error) {
    say(ctx, `learning validate: cannot read ${file}: ${(error as Error).message}`);
    return EXIT.io;
  }
  let result: ReturnType<typeof validateDocument>;
  try {
    result = validateDocument(decodeDocument(bytes).value);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    result = { ok: false, version: 'unknown', problems: [{ pointer: '', message: error.message }] };
  }
  if (ctx.options.json) {
    const { document: _d, ...rest } = result;
    ctx.stdout.write(
      `${JSON.stringify({ file, ...rest, exportId: result.document?.metadata.exportId ?? null })}\n`,
    );
  } else if (result.ok) {
    const note = result.version === 'python-1.0' ? ' (framework Python export 1.0, migrates to v1)' : '';
    say(ctx, `${file}: valid learning export${note}, exportId ${result.document?.metadata.exportId}`);
  } else {
    say(
      ctx,
      `${file}: invalid (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'})`,
    );
    for (const p of result.problems) say(ctx, `  ${p.pointer || '/'}: ${p.message}`);
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}
