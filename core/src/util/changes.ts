/**
 * What changed from one list to the next, as the differing middle: lists that
 * keep most of their items in order (a module's blocks or records across an
 * edit) differ in a small window, found by comparing items as objects from
 * both ends. Items that only moved count as removed and added.
 */
export function changedWindow<T>(before: readonly T[], after: readonly T[]): { removed: T[]; added: T[] } {
  const shortest = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shortest && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { removed: before.slice(prefix, before.length - suffix), added: after.slice(prefix, after.length - suffix) };
}

/** Items by key; most keys have one item, kept without a collection. */
export class Groups<T extends object> {
  private readonly byKey = new Map<string, T | T[]>();
  /** Adds an item; returns how many the key has now. */
  add(key: string, item: T): number {
    const group = this.byKey.get(key);
    if (group === undefined) {
      this.byKey.set(key, item);
      return 1;
    }
    if (Array.isArray(group)) return group.push(item);
    this.byKey.set(key, [group, item]);
    return 2;
  }
  /** Removes an item; returns how many the key has left. */
  delete(key: string, item: T): number {
    const group = this.byKey.get(key);
    if (group === undefined) return 0;
    if (!Array.isArray(group)) {
      if (group === item) this.byKey.delete(key);
      return group === item ? 0 : 1;
    }
    const index = group.indexOf(item);
    if (index !== -1) group.splice(index, 1);
    if (group.length === 1) this.byKey.set(key, group[0]!);
    return group.length;
  }
  get(key: string): readonly T[] {
    const group = this.byKey.get(key);
    return group === undefined ? [] : Array.isArray(group) ? group : [group];
  }
  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }
}

/**
 * Items by a key of theirs, kept across updates: `update` applies the window
 * that changed since the last list, and `repeated` holds the keys that more
 * than one item has.
 */
export class KeyedIndex<T extends object> {
  private current: readonly T[] = [];
  private readonly groups = new Groups<T>();
  readonly repeated = new Set<string>();

  /** `keyOf`: an item's key; undefined leaves the item out of the index. */
  constructor(private readonly keyOf: (item: T) => string | undefined) {}

  /** Makes the index hold exactly `items` (kept, not copied). */
  update(items: readonly T[]): void {
    const { removed, added } = changedWindow(this.current, items);
    for (const item of removed) {
      const key = this.keyOf(item);
      if (key !== undefined && this.groups.delete(key, item) < 2) this.repeated.delete(key);
    }
    for (const item of added) {
      const key = this.keyOf(item);
      if (key !== undefined && this.groups.add(key, item) > 1) this.repeated.add(key);
    }
    this.current = items;
  }

  get(key: string): readonly T[] {
    return this.groups.get(key);
  }

  has(key: string): boolean {
    return this.groups.get(key).length > 0;
  }

  keys(): IterableIterator<string> {
    return this.groups.keys();
  }
}
