import { closeSync, mkdirSync, openSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Buffered appends to many files, so writing half a million lines costs a few hundred syscalls. Each
 * write carries its simulated time (µs); on close every file and directory gets the mtime of its last
 * write in the history, as on the machine that wrote it.
 */
export class Sinks {
  private readonly open = new Map<string, { fd: number; buf: string[]; size: number }>();
  private readonly dirs = new Set<string>();
  private readonly times = new Map<string, number>();
  bytes = 0;

  constructor(readonly root: string) {}

  path(rel: string): string {
    return join(this.root, ...rel.split('/'));
  }

  private ensureDir(abs: string): void {
    const d = dirname(abs);
    if (!this.dirs.has(d)) {
      mkdirSync(d, { recursive: true });
      this.dirs.add(d);
    }
  }

  private touch(rel: string, us: number): void {
    const t = this.times.get(rel);
    if (t === undefined || us > t) this.times.set(rel, us);
  }

  /** Appends a line (the newline is added), written at `us`. */
  line(rel: string, text: string, us: number): void {
    this.touch(rel, us);
    let s = this.open.get(rel);
    if (!s) {
      const abs = this.path(rel);
      this.ensureDir(abs);
      s = { fd: openSync(abs, 'a'), buf: [], size: 0 };
      this.open.set(rel, s);
    }
    s.buf.push(text, '\n');
    s.size += text.length + 1;
    if (s.size > 1 << 20) this.flushOne(s);
  }

  private flushOne(s: { fd: number; buf: string[]; size: number }): void {
    if (s.buf.length === 0) return;
    const data = s.buf.join('');
    this.bytes += Buffer.byteLength(data);
    writeSync(s.fd, data);
    s.buf = [];
    s.size = 0;
  }

  /** Writes a whole file (replacing it) at `us`. */
  file(rel: string, text: string, us: number): void {
    this.times.set(rel, us);
    const abs = this.path(rel);
    this.ensureDir(abs);
    this.bytes += Buffer.byteLength(text);
    writeFileSync(abs, text);
  }

  close(): void {
    for (const s of this.open.values()) {
      this.flushOne(s);
      closeSync(s.fd);
    }
    this.open.clear();
    const dirTimes = new Map<string, number>();
    for (const [rel, us] of this.times) {
      const at = us / 1e6;
      utimesSync(this.path(rel), at, at);
      const parts = rel.split('/');
      for (let i = parts.length - 1; i > 0; i--) {
        const d = parts.slice(0, i).join('/');
        const t = dirTimes.get(d);
        if (t === undefined || us > t) dirTimes.set(d, us);
      }
    }
    for (const [d, us] of dirTimes) utimesSync(this.path(d), us / 1e6, us / 1e6);
  }
}
