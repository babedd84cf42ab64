import { gunzipSync } from 'node:zlib';
import { decode as decodeMsgpack } from '@msgpack/msgpack';
import { gate } from './gate-document.ts';
import type { GateContext, GateFinding, GateReport } from './gate-types.ts';
import { identityMatcher } from './identity-match.ts';

export interface GateBytesLimits {
  /** Refuse inputs larger than this. */
  readonly maxInputBytes: number;
  /** Refuse when decompression would produce more than this (a gzip bomb stops here). */
  readonly maxDecodedBytes: number;
  /** gzip inside gzip is unwrapped this many times, then refused. */
  readonly maxGzipLayers: number;
}

export const DEFAULT_GATE_BYTES_LIMITS: GateBytesLimits = {
  maxInputBytes: 64 * 1024 * 1024,
  maxDecodedBytes: 64 * 1024 * 1024,
  maxGzipLayers: 2,
};

export interface GateBytesContext extends GateContext {
  readonly limits?: Partial<GateBytesLimits>;
}

export interface GateBytesReport extends GateReport {
  readonly format: 'json' | 'msgpack' | 'unknown';
  readonly gzipLayers: number;
}

const FLG_FNAME = 0x08;
const FLG_FCOMMENT = 0x10;

/**
 * The gate over the exact bytes that would leave: gzip is unwrapped (bounded), JSON or
 * MessagePack decoded (bounded) and the value gated; then the decoded text is searched once more
 * for this machine's identity in any encoding the value walk cannot see (JSON escapes, percent,
 * base64). Bytes the gate cannot read are refused, never passed: an export we cannot inspect is
 * an export we cannot vouch for. gzip headers are checked too: a file name, comment or write
 * time there leaks outside the document (upstream L8).
 */
export async function gateBytes(bytes: Uint8Array, ctx: GateBytesContext = {}): Promise<GateBytesReport> {
  const limits = { ...DEFAULT_GATE_BYTES_LIMITS, ...ctx.limits };
  if (bytes.byteLength > limits.maxInputBytes) return refusal('format/too-large', 'unknown', 0);

  const header: GateFinding[] = [];
  let data = bytes;
  let layers = 0;
  while (isGzip(data)) {
    if (layers >= limits.maxGzipLayers) return refusal('format/too-large', 'unknown', layers);
    header.push(...gzipHeaderFindings(data));
    try {
      data = gunzipSync(data, { maxOutputLength: limits.maxDecodedBytes });
    } catch (err) {
      const tooLarge =
        (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
      return refusal(tooLarge ? 'format/too-large' : 'format/corrupt-gzip', 'unknown', layers + 1);
    }
    layers++;
  }

  const decoded = decodeDocument(data);
  if (decoded.format === 'unknown') return refusal('format/undecodable', 'unknown', layers, header);
  const report = await gate(decoded.value, ctx);

  const extra = [...header];
  const already = new Set(report.findings.map((f) => f.ruleId));
  const matcher = identityMatcher(ctx.identity, ctx.terms);
  if (matcher.size > 0) {
    for (const ruleId of matcher.match(decoded.text)) {
      if (!already.has(ruleId)) extra.push({ pointer: '', ruleId, in: 'value' });
    }
  }
  if (extra.length === 0) return { ...report, format: decoded.format, gzipLayers: layers };
  const findings = [...extra, ...report.findings];
  const counts: Record<string, number> = { ...report.counts };
  for (const f of extra) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return {
    ok: false,
    findings,
    scannedStrings: report.scannedStrings,
    counts,
    format: decoded.format,
    gzipLayers: layers,
  };
}

function isGzip(b: Uint8Array): boolean {
  return b.byteLength >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** RFC 1952 header: FLG at byte 3, MTIME (little-endian) at bytes 4–7. */
function gzipHeaderFindings(b: Uint8Array): GateFinding[] {
  if (b.byteLength < 10) return [];
  const out: GateFinding[] = [];
  const flg = b[3] as number;
  if (flg & FLG_FNAME) out.push({ pointer: '', ruleId: 'format/gzip-file-name', in: 'value' });
  if (flg & FLG_FCOMMENT) out.push({ pointer: '', ruleId: 'format/gzip-comment', in: 'value' });
  const mtime =
    (b[4] as number) | ((b[5] as number) << 8) | ((b[6] as number) << 16) | ((b[7] as number) << 24);
  if (mtime !== 0) out.push({ pointer: '', ruleId: 'format/gzip-mtime', in: 'value' });
  return out;
}

type Decoded = { format: 'json' | 'msgpack'; value: unknown; text: string } | { format: 'unknown' };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8', { fatal: false });

function decodeDocument(data: Uint8Array): Decoded {
  const text = textOf(data);
  if (text !== undefined && looksLikeJson(text)) {
    try {
      return { format: 'json', value: JSON.parse(text), text };
    } catch {
      // Not JSON after all: MessagePack may still read it (a fixint 0x7b is `{`).
    }
  }
  const n = data.byteLength;
  try {
    const value = decodeMsgpack(data, {
      maxStrLength: n,
      maxBinLength: n,
      maxArrayLength: n,
      maxMapLength: n,
      maxExtLength: n,
    });
    return { format: 'msgpack', value, text: text ?? lenient.decode(data) };
  } catch {
    return { format: 'unknown' };
  }
}

/** UTF-8 (with or without BOM) or UTF-16 with BOM; undefined when it is not text. */
function textOf(data: Uint8Array): string | undefined {
  try {
    if (data[0] === 0xff && data[1] === 0xfe)
      return new TextDecoder('utf-16le', { fatal: true }).decode(data.subarray(2));
    if (data[0] === 0xfe && data[1] === 0xff)
      return new TextDecoder('utf-16be', { fatal: true }).decode(data.subarray(2));
    const s = utf8.decode(data);
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  } catch {
    return undefined;
  }
}

function looksLikeJson(text: string): boolean {
  const first = /\S/.exec(text)?.[0];
  return first !== undefined && '{["-0123456789tfn'.includes(first);
}

function refusal(
  ruleId: string,
  format: GateBytesReport['format'],
  layers: number,
  also: readonly GateFinding[] = [],
): GateBytesReport {
  const findings = [...also, { pointer: '', ruleId, in: 'value' as const }];
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return { ok: false, findings, scannedStrings: 0, counts, format, gzipLayers: layers };
}
