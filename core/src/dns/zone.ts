import type { Finding } from '../diagnostics/types.js';
import { canonicalIPv6, parseIPv6 } from './ip.js';
import { isZoneApex, normalizeName } from './names.js';

/** One record of a zone as configured; `ref` ties findings back to where it was declared. */
export interface ZoneRecord<T> {
  name: string;
  type: string;
  value: string;
  ref: T;
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
interface RecordKeys {
  name: string;
  /** Name, type and normalized value: equal for duplicates. */
  identity: string;
  /** The MX/NS/SRV target that must not be an alias. */
  target: string | undefined;
  /** Whether the name is a zone apex, asked only of CNAMEs. */
  apex?: boolean;
}

function isApex(keys: RecordKeys): boolean {
  return (keys.apex ??= isZoneApex(keys.name));
}
const recordKeys = new WeakMap<ZoneRecord<unknown>, RecordKeys>();

function keysOf(record: ZoneRecord<unknown>): RecordKeys {
  let keys = recordKeys.get(record);
  if (!keys) {
    const name = normalizeName(record.name);
    keys = { name, identity: `${name}\u0000${record.type}\u0000${normalizedValue(record.type, record.value)}`, target: aliasSensitiveTarget(record.type, record.value) };
    recordKeys.set(record, keys);
  }
  return keys;
}

/**
 * Rules that span the records of one configuration: CNAME exclusivity
 * (RFC 1034 §3.6.2), no CNAME at a zone apex, exact duplicates, and MX/NS/SRV
 * targets that are aliases (RFC 2181 §10.3).
 */
export function checkZoneRules<T>(records: readonly ZoneRecord<T>[]): ZoneFinding<T>[] {
  const findings: ZoneFinding<T>[] = [];
  const keys = records.map(keysOf);
  // Only the names with a CNAME are grouped: exclusivity and the apex rule concern them alone.
  const aliases = new Set<string>();
  records.forEach((record, index) => {
    if (record.type === 'CNAME') aliases.add(keys[index]!.name);
  });
  const byName = new Map<string, ZoneRecord<T>[]>();
  records.forEach((record, index) => {
    const name = keys[index]!.name;
    if (!aliases.has(name)) return;
    const list = byName.get(name);
    if (list) list.push(record);
    else byName.set(name, [record]);
  });

  for (const [name, group] of byName) {
    const cnames = group.filter((record) => record.type === 'CNAME');
    for (const cname of cnames) {
      if (isApex(keysOf(cname))) {
        findings.push({
          code: 'dns/cname-at-apex',
          message: `${name} is the apex of its zone, which always has SOA and NS records, so it cannot be a CNAME; point it with A/AAAA records instead`,
          record: cname.ref,
          related: [],
        });
      }
    }
    const others = group.filter((record) => record.type !== 'CNAME');
    if (cnames.length > 1) {
      for (const cname of cnames.slice(1)) {
        findings.push({ code: 'dns/cname-conflict', message: `${name} already has a CNAME; a name can be an alias of only one target`, record: cname.ref, related: [cnames[0]!.ref] });
      }
    }
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
  }

  const firstSeen = new Map<string, ZoneRecord<T>>();
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const key = keys[index]!.identity;
    const first = firstSeen.get(key);
    if (first) {
      findings.push({
        code: 'dns/duplicate-record',
        message: `this ${record.type} record for ${keys[index]!.name} with value '${record.value.trim()}' is declared twice`,
        record: record.ref,
        related: [first.ref],
      });
    } else {
      firstSeen.set(key, record);
    }
  }

  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const { target } = keys[index]!;
    if (target !== undefined && aliases.has(target)) {
      const cname = byName.get(target)!.find((other) => other.type === 'CNAME')!;
      findings.push({
        code: 'dns/target-is-cname',
        message: `the ${record.type} target ${target} is a CNAME; ${record.type} targets must be the canonical name (RFC 2181 §10.3)`,
        record: record.ref,
        related: [cname.ref],
      });
    }
  }
  return findings;
}
