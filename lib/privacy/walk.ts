import { textsOfBytes } from './bytes-text.ts';

export type Where = 'key' | 'value';

/**
 * Where a container sits: its parent, its segment (object key or array index) and, for object
 * keys, its position among the parent's keys. Pointers are built from these links only when a
 * finding needs one, so a clean document costs no string building.
 */
export interface PathNode {
  readonly up: PathNode | null;
  readonly seg: string | number;
  readonly keyIndex: number;
}

export interface StringVisitor {
  /**
   * A string found at `seg` inside `parent` (`seg` null: the document itself is the string).
   * `keyIndex` is the position of the object key the string is or sits under, -1 in arrays.
   */
  string(text: string, where: Where, parent: PathNode | null, seg: Seg, keyIndex: number): void;
  /** Integers big enough to be card numbers; everything else numeric is skipped. */
  bigNumber?(digits: string, parent: PathNode | null, seg: Seg, keyIndex: number): void;
}

/** An object key, an array index, or null for the document root. */
export type Seg = string | number | null;

/** Smallest integer that can be a 15-digit card number; sketches and counts stay far below it. */
const CARD_FLOOR = 1e14;

type Pending = { value: object; node: PathNode | null };

/**
 * Visits every string value and every object key of a JSON-like value, at any depth, without
 * recursion (a hostile document nested 10^6 deep must not overflow the stack). Byte arrays are
 * decoded to text because MessagePack `bin` fields and Buffers carry text as often as binary.
 * A container seen twice (a cycle, or a shared sub-object) is visited once.
 */
export function walkStrings(doc: unknown, visitor: StringVisitor): void {
  const seen = new WeakSet<object>();
  const stack: Pending[] = [];
  const rootChildren: Pending[] = [];
  collect(doc, null, null, -1, visitor, rootChildren);
  // The root container has no segment: its children hang off `null`.
  if (rootChildren.length === 1) stack.push({ value: (rootChildren[0] as Pending).value, node: null });
  const children: Pending[] = [];
  while (stack.length > 0) {
    const { value, node } = stack.pop() as Pending;
    if (seen.has(value)) continue;
    seen.add(value);
    children.length = 0;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        // Sketches are long number arrays: the common case leaves after one comparison.
        if (typeof item === 'number' && item < CARD_FLOOR) continue;
        collect(item, node, i, -1, visitor, children);
      }
    } else if (value instanceof Map) {
      let i = 0;
      for (const [k, v] of value) {
        const seg = typeof k === 'string' ? k : String(k);
        if (typeof k === 'string') visitor.string(k, 'key', node, seg, i);
        collect(v, node, seg, i, visitor, children);
        i++;
      }
    } else if (value instanceof Set) {
      let i = 0;
      for (const v of value) collect(v, node, i++, -1, visitor, children);
    } else {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        visitor.string(k, 'key', node, k, i);
        collect(obj[k], node, k, i, visitor, children);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Pending);
  }
}

function collect(
  value: unknown,
  parent: PathNode | null,
  seg: Seg,
  keyIndex: number,
  visitor: StringVisitor,
  children: Pending[],
): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    visitor.string(value, 'value', parent, seg, keyIndex);
    return;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (visitor.bigNumber && (typeof value === 'bigint' || value >= CARD_FLOOR))
      numberVisit(value, parent, seg, keyIndex, visitor);
    return;
  }
  if (typeof value !== 'object') return;
  const bytes = asBytes(value);
  if (bytes) {
    for (const text of textsOfBytes(bytes)) visitor.string(text, 'value', parent, seg, keyIndex);
    return;
  }
  if (value instanceof Date) return;
  if (seg === null) children.push({ value, node: null });
  else children.push({ value, node: { up: parent, seg, keyIndex } });
}

function numberVisit(
  n: number | bigint,
  parent: PathNode | null,
  seg: Seg,
  keyIndex: number,
  visitor: StringVisitor,
): void {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) return;
  visitor.bigNumber?.(n.toString(), parent, seg, keyIndex);
}

function asBytes(value: object): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

/** RFC 6901: `~` becomes `~0` and `/` becomes `~1`. */
export function escapePointerSegment(seg: string): string {
  return seg.includes('~') || seg.includes('/') ? seg.replace(/~/g, '~0').replace(/\//g, '~1') : seg;
}

/**
 * The JSON pointer of a string. A key that the gate flagged is written `#<position>` (its
 * 0-based place among its object's keys) wherever it appears, so that no pointer ever spells out
 * a value the gate refused; every other segment is RFC 6901.
 */
export function pointerOf(
  parent: PathNode | null,
  seg: Seg,
  keyIndex: number,
  masked: (key: string) => boolean,
): string {
  const parts: string[] = [];
  if (seg !== null) parts.push(segmentText(seg, keyIndex, masked));
  for (let n = parent; n !== null; n = n.up) parts.push(segmentText(n.seg, n.keyIndex, masked));
  if (parts.length === 0) return '';
  return `/${parts.reverse().join('/')}`;
}

function segmentText(seg: string | number, keyIndex: number, masked: (key: string) => boolean): string {
  if (typeof seg === 'number') return String(seg);
  if (keyIndex >= 0 && masked(seg)) return `#${keyIndex}`;
  return escapePointerSegment(seg);
}
