/**
 * Timestamps as the framework's Python writes them, from an instant in microseconds since the epoch:
 * `isoformat()` of aware UTC, naive UTC (`utcnow()`), naive local (`now()`), the event log's
 * `+00:00Z`, the audit log's `%Y-%m-%d %H:%M:%S` and the ids' `%Y%m%d-%H%M%S[-%f]`. Python drops the
 * fraction when the microsecond is 0; so do these.
 */
const QUARTER_HOUR_US = 900_000_000;

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export class PyClock {
  private readonly format: Intl.DateTimeFormat | undefined;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.format =
      timeZone === 'UTC'
        ? undefined
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
  }

  /** Local minus UTC, in microseconds, at a UTC instant. */
  offsetUs(us: number): number {
    if (!this.format) return 0;
    const bucket = Math.floor(us / QUARTER_HOUR_US);
    const hit = this.offsets.get(bucket);
    if (hit !== undefined) return hit;
    const at = (bucket * QUARTER_HOUR_US) / 1000;
    const p: Record<string, number> = {};
    for (const part of this.format.formatToParts(at)) p[part.type] = Number(part.value);
    const wall = Date.UTC(
      p.year ?? 0,
      (p.month ?? 1) - 1,
      p.day ?? 1,
      p.hour ?? 0,
      p.minute ?? 0,
      p.second ?? 0,
    );
    const off = (wall - at) * 1000;
    this.offsets.set(bucket, off);
    return off;
  }

  private parts(us: number): { date: string; time: string; micro: number; compact: string } {
    const ms = Math.floor(us / 1000);
    const d = new Date(ms);
    const micro = ((us % 1_000_000) + 1_000_000) % 1_000_000;
    const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
    const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    return { date, time, micro, compact: `${date.replaceAll('-', '')}-${time.replaceAll(':', '')}` };
  }

  private iso(us: number): string {
    const p = this.parts(us);
    return `${p.date}T${p.time}${p.micro === 0 ? '' : `.${String(p.micro).padStart(6, '0')}`}`;
  }

  /** `datetime.now(timezone.utc).isoformat()` */
  utc(us: number): string {
    return `${this.iso(us)}+00:00`;
  }

  /** The event log's malformed `isoformat() + "Z"`. */
  utcZ(us: number): string {
    return `${this.utc(us)}Z`;
  }

  /** `datetime.utcnow().isoformat()` */
  naiveUtc(us: number): string {
    return this.iso(us);
  }

  /** `datetime.now().isoformat()` on the machine's zone. */
  local(us: number): string {
    return this.iso(us + this.offsetUs(us));
  }

  /** `%Y%m%d-%H%M%S` in local time (workflow and build ids). */
  stamp(us: number): string {
    return this.parts(us + this.offsetUs(us)).compact;
  }

  /** `%Y%m%d-%H%M%S-%f` in local time (Cursor workflow ids). */
  stampMicro(us: number): string {
    const p = this.parts(us + this.offsetUs(us));
    return `${p.compact}-${String(p.micro).padStart(6, '0')}`;
  }

  /** The logging module's `asctime` prefix, local. */
  logTime(us: number): string {
    const p = this.parts(us + this.offsetUs(us));
    return `${p.date} ${p.time}`;
  }

  utcDate(us: number): string {
    return this.parts(us).date;
  }

  localDate(us: number): string {
    return this.parts(us + this.offsetUs(us)).date;
  }

  /** `%Y%m%d-%H%M%S` in UTC. */
  utcStamp(us: number): string {
    return this.parts(us).compact;
  }
}
