import { existsSync, type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { STORE_NAMES } from '../../../schema/stores.ts';
import { type CollectResult, collect } from '../../collect/collect.ts';
import { LockBusyError } from '../../files/lock.ts';
import { errorText } from '../../files/log.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { EXIT, say } from '../io.ts';

/**
 * Top-level folders of `.tapps-agents/` whose changes never hold new records: the plugin's own
 * state (its writes would wake the watcher after every collection), the framework's exports, and
 * hooks.yaml with its backups.
 */
const IGNORED = /^(learning-plugin|exports|hooks\.yaml(\.bak-.*)?)$/;

export function isIgnoredChange(filename: string | null): boolean {
  if (filename === null) return false;
  return IGNORED.test(filename.split(/[\\/]/)[0] ?? '');
}

/** How long a burst of writes may keep postponing a collection (debounce without starvation). */
const MAX_DELAY_FACTOR = 10;

/** What `learning watch` does; its options and help are in ../commands/watch.ts. */
export async function runWatch(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const debounceMs = Number(ctx.options.debounce);
  const intervalS = Number(ctx.options.interval);
  if (!(Number.isInteger(debounceMs) && debounceMs >= 0 && debounceMs <= 600_000)) {
    say(ctx, 'learning watch: --debounce must be a whole number of milliseconds from 0 to 600000');
    return EXIT.usage;
  }
  if (!(intervalS >= 0 && intervalS <= 86_400)) {
    say(ctx, 'learning watch: --interval must be a number of seconds from 0 to 86400');
    return EXIT.usage;
  }
  if (!rt.options.enabled) {
    say(ctx, 'learning watch: collection is off in the project config (learning.enabled: false)');
    return EXIT.consent;
  }
  const tappsDir = join(rt.projectRoot, '.tapps-agents');
  if (!existsSync(tappsDir)) {
    say(
      ctx,
      `learning watch: ${tappsDir} does not exist; run watch in a TappsCodingAgents project (tapps-agents init creates it)`,
    );
    return EXIT.failed;
  }
  return new Watch(rt, ctx, tappsDir, debounceMs, intervalS * 1000).run();
}

class Watch {
  #dirty = true;
  #firstChangeAt: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #stopped = false;

  constructor(
    readonly rt: LearningRuntime,
    readonly ctx: CommandContext,
    readonly tappsDir: string,
    readonly debounceMs: number,
    readonly intervalMs: number,
  ) {}

  async run(): Promise<number> {
    const stop = () => {
      this.#stopped = true;
      this.#wake?.();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.tappsDir, { recursive: true }, (_event, filename) => {
        if (!isIgnoredChange(filename === null ? null : String(filename))) this.#changed();
      });
      watcher.on('error', (error) => {
        say(
          this.ctx,
          `learning watch: file events stopped (${errorText(error)}); collecting every --interval only`,
        );
        watcher?.close();
      });
    } catch (error) {
      say(
        this.ctx,
        `learning watch: cannot watch ${this.tappsDir} (${errorText(error)}); collecting every --interval only`,
      );
    }
    const ticker = this.intervalMs > 0 ? setInterval(() => this.#due(), this.intervalMs) : undefined;
    say(this.ctx, `learning watch: watching ${this.tappsDir} (Ctrl-C to stop)`);
    try {
      while (!this.#stopped) {
        if (this.#dirty) {
          this.#dirty = false;
          await this.#collectOnce();
          continue;
        }
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        this.#wake = undefined;
      }
    } finally {
      watcher?.close();
      clearInterval(ticker);
      clearTimeout(this.#timer);
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
    say(this.ctx, 'learning watch: stopped');
    return EXIT.ok;
  }

  #changed(): void {
    const now = Date.now();
    this.#firstChangeAt ??= now;
    const deadline = this.#firstChangeAt + this.debounceMs * MAX_DELAY_FACTOR;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#due(), Math.max(0, Math.min(this.debounceMs, deadline - now)));
  }

  #due(): void {
    this.#firstChangeAt = null;
    this.#dirty = true;
    this.#wake?.();
  }

  async #collectOnce(): Promise<void> {
    const at = new Date();
    try {
      const r = await collect(this.rt, { waitMs: 30_000, trigger: 'watch' });
      this.#report(at, r);
    } catch (error) {
      if (error instanceof LockBusyError) {
        say(
          this.ctx,
          `learning watch: another collector (process ${error.holder ?? '?'}) still holds the state; retrying`,
        );
        this.#changed();
        return;
      }
      say(this.ctx, `learning watch: collection failed: ${errorText(error)}`);
      if (this.ctx.options.json)
        this.ctx.stdout.write(`${JSON.stringify({ at: at.toISOString(), error: errorText(error) })}\n`);
    }
  }

  #report(at: Date, r: CollectResult): void {
    const records: Record<string, number> = {};
    let skipped = 0;
    for (const name of STORE_NAMES) {
      const s = r.stats[name];
      if (!s) continue;
      if (s.records > 0) records[name] = s.records;
      skipped += s.skipped;
    }
    if (this.ctx.options.json) {
      this.ctx.stdout.write(
        `${JSON.stringify({ at: at.toISOString(), eventsAdded: r.eventsAdded, records, skipped })}\n`,
      );
      return;
    }
    const stores = Object.entries(records)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    say(
      this.ctx,
      `learning watch: ${at.toISOString().slice(11, 19)} ${r.eventsAdded} new events${stores ? ` (records: ${stores})` : ''}` +
        (skipped > 0 ? `, ${skipped} malformed skipped (see learning status)` : ''),
    );
  }
}
