import type { Finding } from '../diagnostics/types.js';
import { canonicalIPv6, parseIPv6 } from './ip.js';
import { isZoneApex, normalizeName } from './names.js';
import { KeyedIndex } from '../util/changes.js';

/** One record of a zone as configured; `ref` ties findings back to where it was declared. */
export interface ZoneRecord<T> {
  name: string;
  type: string;
  value: string;
  ref: T;
  /** The zone the record is in, when its configuration names it (else the registrable domain stands for it). */
  zone?: string;
  /**
   * Tells apart records of one name and type that the provider keeps as
   * separate record sets (Route 53 `set_identifier` of weighted, latency,
   * failover... records): they are neither duplicates nor conflicting CNAMEs.
   */
  variant?: string;
  /** The provider answers a CNAME at the apex with the target's addresses (Cloudflare's CNAME flattening). */
  flattensApexCname?: boolean;
  /** What ZoneIndex compares of the record, filled by it on first use (the fields above never change). */
  keys?: RecordKeys;
}

export interface ZoneFinding<T> extends Finding {
  /** The record the finding is reported on. */
  record: T;
  /** The other records involved (the CNAME it conflicts with, the first of duplicates). */
  related: T[];
}

/** A value in a form where equal records compare equal. */
function normalizedValue(type: string, value: string): string {
  const text = value.trim();
  switch (type) {
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return normalizeName(text);
    case 'AAAA': {
      const groups = parseIPv6(text);
      return groups ? canonicalIPv6(groups) : text;
    }
    case 'MX':
    case 'SRV': {
      const fields = text.split(/\s+/);
      fields[fields.length - 1] = normalizeName(fields[fields.length - 1]!);
      return fields.join(' ');
    }
    default:
      return text;
  }
}

/** The host a record points to, for types whose target must not be an alias. */
function aliasSensitiveTarget(type: string, value: string): string | undefined {
  if (type !== 'NS' && type !== 'MX' && type !== 'SRV') return undefined;
  const fields = value.trim().split(/\s+/);
  if (type === 'NS' && fields.length === 1) return normalizeName(fields[0]!);
  if (type === 'MX' && fields.length === 2) return normalizeName(fields[1]!);
  if (type === 'SRV' && fields.length === 4) return normalizeName(fields[3]!);
  return undefined;
}

/** What the rules compare of a record, derived once per record object (an analysis keeps the records of unchanged blocks). */
export interface RecordKeys {
  name: string;
  /** Name, type and normalized value: equal for duplicates. */
  identity: string;
  /** The MX/NS/SRV target that must not be an alias. */
  target: string | undefined;
  /** Whether the name is a zone apex, asked only of CNAMEs. */
  apex?: boolean;
}
function keysOf(record: ZoneRecord<unknown>): RecordKeys {
  let keys = record.keys;
  if (!keys) {
    const name = normalizeName(record.name);
    // Joined: one flat string per record, not a rope of four (a large zone keeps one per record).
    keys = {
      name,
      identity: [name, record.type, normalizedValue(record.type, record.value), record.variant ?? ''].join('\u0000'),
      target: aliasSensitiveTarget(record.type, record.value),
      apex: undefined,
    };
    record.keys = keys;
  }
  return keys;
}

/** Whether a record is at its zone's apex: its zone's name when the configuration names the zone, else a registrable domain. */
function isApex(record: ZoneRecord<unknown>): boolean {
  const keys = keysOf(record);
  return (keys.apex ??= record.zone !== undefined ? keys.name === normalizeName(record.zone) : isZoneApex(keys.name));
}

/**
 * The rules that span the records of one configuration: CNAME exclusivity
 * (RFC 1034 §3.6.2), no CNAME at a zone apex, exact duplicates, and MX/NS/SRV
 * targets that are aliases (RFC 2181 §10.3).
 *
 * Kept across analyses: `update` takes the records of now, adds and removes
 * only what changed since the last call (records are compared as objects),
 * and the findings are made from the few names that can have any (those with
 * a CNAME, values declared twice), so an edit costs what it changed.
 * `order` says which of two records comes first (the first of duplicates is
 * the original).
 */
export class ZoneIndex<T> {
  private readonly byName = new KeyedIndex<ZoneRecord<T>>((record) => keysOf(record).name);
  /** Its `repeated`: values declared more than once. */
  private readonly byIdentity = new KeyedIndex<ZoneRecord<T>>((record) => keysOf(record).identity);
  private readonly byTarget = new KeyedIndex<ZoneRecord<T>>((record) => keysOf(record).target);
  /** The CNAMEs by name: its keys are the names that are aliases. */
  private readonly cnames = new KeyedIndex<ZoneRecord<T>>((record) => (record.type === 'CNAME' ? keysOf(record).name : undefined));

  constructor(private readonly order: (a: ZoneRecord<T>, b: ZoneRecord<T>) => number) {}

  /** Makes the index hold exactly `records` (kept, not copied: pass a list that is not changed later), and returns the findings. */
  update(records: readonly ZoneRecord<T>[]): ZoneFinding<T>[] {
    for (const index of [this.byName, this.byIdentity, this.byTarget, this.cnames]) index.update(records);
    return this.findings();
  }

  private sorted(group: Iterable<ZoneRecord<T>>): ZoneRecord<T>[] {
    return [...group].sort(this.order);
  }

  private findings(): ZoneFinding<T>[] {
    const findings: ZoneFinding<T>[] = [];
    for (const name of this.cnames.keys()) {
      const group = this.byName.get(name);
      const cnames = this.sorted(this.cnames.get(name));
      const apex = isApex(cnames[0]!);
      const flattened = apex && cnames.every((cname) => cname.flattensApexCname);
      if (flattened) {
        for (const cname of cnames) {
          findings.push({
            code: 'dns/cname-flattened',
            message: `${name} is the zone apex: Cloudflare answers this CNAME with the addresses of its target (CNAME flattening), so resolvers never see a CNAME here`,
            record: cname.ref,
            related: [],
          });
        }
      } else if (apex) {
        for (const cname of cnames) {
          findings.push({
            code: 'dns/cname-at-apex',
            message: `${name} is the apex of its zone, which always has SOA and NS records, so it cannot be a CNAME; point it with A/AAAA records instead`,
            record: cname.ref,
            related: [],
          });
        }
      }
      if (cnames.length > 1) {
        for (const [index, cname] of cnames.entries()) {
          // Record sets told apart by a set identifier (weighted, failover...) are one alias each.
          if (index === 0 || (cname.variant !== undefined && cnames.slice(0, index).every((earlier) => earlier.variant !== undefined))) continue;
          findings.push({ code: 'dns/cname-conflict', message: `${name} already has a CNAME; a name can be an alias of only one target`, record: cname.ref, related: [cnames[0]!.ref] });
        }
      }
      // A flattened apex CNAME is no CNAME to resolvers: only address records at the apex conflict with it.
      const others = this.sorted(group.filter((record) => record.type !== 'CNAME' && (!flattened || record.type === 'A' || record.type === 'AAAA')));
      if (others.length > 0) {
        const types = [...new Set(others.map((record) => record.type))].join(', ');
        for (const cname of cnames) {
          findings.push({
            code: 'dns/cname-conflict',
            message: `${name} is a CNAME and also has ${others.length > 1 ? `${types} records` : `a ${types} record`}; a CNAME must be the only record at its name`,
            record: cname.ref,
            related: others.map((record) => record.ref),
          });
        }
        for (const other of others) {
          findings.push({ code: 'dns/cname-conflict', message: `${name} is a CNAME, so it cannot also have a ${other.type} record`, record: other.ref, related: cnames.map((record) => record.ref) });
        }
      }
      for (const record of this.byTarget.get(name)) {
        findings.push({
          code: 'dns/target-is-cname',
          message: `the ${record.type} target ${name} is a CNAME; ${record.type} targets must be the canonical name (RFC 2181 §10.3)`,
          record: record.ref,
          related: [cnames[0]!.ref],
        });
      }
    }
    for (const identity of this.byIdentity.repeated) {
      const [first, ...again] = this.sorted(this.byIdentity.get(identity));
      for (const record of again) {
        findings.push({
          code: 'dns/duplicate-record',
          message: `this ${record.type} record for ${keysOf(record).name} with value '${record.value.trim()}' is declared twice`,
          record: record.ref,
          related: [first!.ref],
        });
      }
    }
    return findings;
  }
}

/** The zone rules over a list of records, the first of duplicates being the earlier in the list. */
export function checkZoneRules<T>(records: readonly ZoneRecord<T>[]): ZoneFinding<T>[] {
  const position = new Map(records.map((record, index) => [record, index]));
  return new ZoneIndex<T>((a, b) => position.get(a)! - position.get(b)!).update(records);
}
