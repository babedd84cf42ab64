import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandSpec } from '../../../hooks/command-registry.ts';
import { DecodeError, decodeDocument } from '../../export/decode.ts';
import { validateDocument } from '../../export/validate.ts';
import { EXIT, say } from '../io.ts';

export function validateCommand(): CommandSpec {
  return {
    path: ['learning', 'validate'],
    summary: 'check an export file of any version (JSON or MessagePack, gzip or not)',
    description:
      "Validates a learning export against its schema: v1 documents of this plugin and the framework's own\n" +
      'Python "1.0" exports (migrated to v1). Prints every problem with its JSON pointer; exits 1 when invalid.',
    example:
      'tapps-agents learning validate .tapps-agents/exports/learning-20261124T030000Z-3fa85f64.json.gz',
    arguments: [{ name: 'file', description: 'export file to check (- for stdin)', required: true }],
    options: [{ flags: '--json', description: 'print the result as JSON on stdout' }],
    async run(ctx) {
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
    },
  };
}
