/**
 * A list built by push, copied to its own length: push leaves room for 16
 * items, and what a large module keeps per block (labels, arguments, a
 * record's values, its zone records) is mostly lists of one or two.
 */
export function exactSize<T>(items: T[]): T[] {
  return items.length ? items.slice() : items;
}
