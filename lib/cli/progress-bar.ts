import cliProgress from 'cli-progress';
import type { CommandContext } from '../../hooks/command-registry.ts';

/** `learning collect`'s progress on a terminal: bytes read of the store being read. */
export function progressBar(ctx: CommandContext) {
  const bar = new cliProgress.SingleBar(
    {
      stream: ctx.stderr as NodeJS.WritableStream,
      format: 'collecting {store} [{bar}] {percentage}%',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p: { store: string; bytesRead: number; bytesTotal: number }) {
      if (!started) {
        bar.start(Math.max(1, p.bytesTotal), p.bytesRead, { store: p.store });
        started = true;
      }
      bar.setTotal(Math.max(1, p.bytesTotal));
      bar.update(p.bytesRead, { store: p.store });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
