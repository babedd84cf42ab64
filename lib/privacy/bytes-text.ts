/**
 * Text hidden in a byte array. Bytes that decode as readable UTF-8 are scanned as one string;
 * otherwise the printable ASCII runs are (as `strings(1)` does), because a token or a path inside
 * a binary blob is still a leak.
 */
const decoder = new TextDecoder('utf-8', { fatal: false });
/** Only ASCII bytes reach it, where latin1 and ASCII agree. */
const ascii = new TextDecoder('latin1');

/** Shortest printable run worth scanning: below this nothing a rule looks for fits. */
const MIN_RUN = 6;

export function textsOfBytes(bytes: Uint8Array): string[] {
  if (bytes.byteLength === 0) return [];
  const text = decoder.decode(bytes);
  if (isMostlyPrintable(text)) return [text];
  return printableRuns(bytes);
}

function isMostlyPrintable(text: string): boolean {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd || c === 127) bad++;
  }
  return bad <= text.length * 0.02;
}

function printableRuns(bytes: Uint8Array): string[] {
  const runs: string[] = [];
  let start = -1;
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? (bytes[i] as number) : 0;
    const printable = (b >= 32 && b < 127) || b === 9;
    if (printable && start < 0) start = i;
    else if (!printable && start >= 0) {
      if (i - start >= MIN_RUN) runs.push(ascii.decode(bytes.subarray(start, i)));
      start = -1;
    }
  }
  return runs;
}
