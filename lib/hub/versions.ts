/**
 * Framework versions in release order: numeric parts compared as numbers (3.10 after 3.9), a
 * pre-release (`3.7.0-rc.1`) before its release, `unknown` after everything.
 */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'unknown') return 1;
  if (b === 'unknown') return -1;
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.nums.length, pb.nums.length); i++) {
    const d = (pa.nums[i] ?? 0) - (pb.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return a < b ? -1 : 1;
  if (pa.pre === '') return 1;
  if (pb.pre === '') return -1;
  return pa.pre < pb.pre ? -1 : 1;
}

function parse(v: string): { nums: number[]; pre: string } {
  const m = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.]+))?/.exec(v);
  if (!m) return { nums: [], pre: v };
  return { nums: (m[1] as string).split('.').map(Number), pre: m[2] ?? '' };
}
