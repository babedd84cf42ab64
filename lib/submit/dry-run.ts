import type { Destination } from './destination.ts';
import { describeDestination, destinationKey } from './destination.ts';
import { base64Lines } from './github-issue.ts';
import type { Payload } from './payload.ts';

/**
 * What `submit --dry-run` prints on stdout: `#` header lines (destination, encoding, size,
 * SHA-256, exportId), then the payload in base64 (it is gzip, so binary). The SHA-256 is that of
 * the payload bytes, the hash a receipt records. To check it:
 *   tapps-agents learning submit --dry-run | grep -v '^#' | base64 -d | sha256sum
 */
export function dryRunText(destination: Destination, payload: Payload): string {
  const contentType = payload.format === 'msgpack' ? 'application/msgpack' : 'application/json';
  return [
    `# dry run: nothing was sent; this is what ${destinationKey(destination)} would receive`,
    `# destination: ${describeDestination(destination)}`,
    `# content-type: ${contentType}; content-encoding: gzip; ${payload.bytes.byteLength} bytes, base64 below`,
    `# sha256: ${payload.sha256}`,
    `# exportId: ${payload.exportId}`,
    base64Lines(payload.bytes),
    '',
  ].join('\n');
}
