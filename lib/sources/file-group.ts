/**
 * A file's group and its path within the group: the first two levels of its folder. A store's
 * files land in one group (`workflows/markers`: every marker of every workflow), or one per run
 * folder (`workflow-state/build-…`), so a pack has a few hundred sections rather than one per
 * folder.
 */
export function groupOf(rel: string): [group: string, key: string] {
  const first = rel.indexOf('/');
  if (first < 0) return ['', rel];
  const second = rel.indexOf('/', first + 1);
  if (second < 0) return [rel.slice(0, first), rel.slice(first + 1)];
  return [rel.slice(0, second), rel.slice(second + 1)];
}
