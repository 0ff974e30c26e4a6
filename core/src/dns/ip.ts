/** IPv4 and IPv6 text forms: strict parsing, canonical forms and address classes. */

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Parses a dotted quad (RFC 791 text form without leading zeros). Returns the four octets or undefined. */
export function parseIPv4(text: string): [number, number, number, number] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets as [number, number, number, number];
}

export function isIPv4(text: string): boolean {
  return parseIPv4(text) !== undefined;
}

/** Explains why `text` is not a dotted quad, for diagnostics. */
export function explainIPv4(text: string): string | undefined {
  if (parseIPv4(text)) return undefined;
  if (text.trim() !== text) return 'it has leading or trailing white space';
  const parts = text.split('.');
  if (parts.length !== 4) return `it has ${parts.length} part${parts.length === 1 ? '' : 's'}; a dotted quad has exactly 4 (e.g. 192.0.2.10)`;
  for (const [index, part] of parts.entries()) {
    const position = ['first', 'second', 'third', 'fourth'][index];
    if (part === '') return `its ${position} part is empty`;
    if (!/^[0-9]+$/.test(part)) return `its ${position} part '${part}' is not a decimal number`;
    if (part.length > 1 && part.startsWith('0')) return `its ${position} part '${part}' has a leading zero, which some resolvers read as octal`;
    if (Number(part) > 255) return `its ${position} part ${part} is greater than 255`;
  }
  return 'it is not a dotted quad';
}

/** Parses any RFC 4291 §2.2 text form into eight 16-bit groups. */
export function parseIPv6(text: string): number[] | undefined {
  if (text.length < 2 || text.length > 45 || !text.includes(':')) return undefined;
  let head = text;
  let embedded: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon !== -1 && text.indexOf('.', lastColon) !== -1) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    embedded = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    head = text.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::"; "64:ff9b::1.2.3.4" leaves "64:ff9b::"; "1:2:3:4:5:6:1.2.3.4" leaves a trailing single colon.
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const doubleColon = head.indexOf('::');
  if (doubleColon !== -1 && head.indexOf('::', doubleColon + 1) !== -1) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      groups.push(parseInt(group, 16));
    }
    return groups;
  };
  const wanted = 8 - embedded.length;
  if (doubleColon === -1) {
    const groups = parseGroups(head);
    if (!groups || groups.length !== wanted) return undefined;
    return [...groups, ...embedded];
  }
  const left = parseGroups(head.slice(0, doubleColon));
  const right = parseGroups(head.slice(doubleColon + 2));
  if (!left || !right) return undefined;
  const zeros = wanted - left.length - right.length;
  if (zeros < 1) return undefined;
  return [...left, ...new Array<number>(zeros).fill(0), ...right, ...embedded];
}

export function isIPv6(text: string): boolean {
  return parseIPv6(text) !== undefined;
}

/** Explains why `text` is not an IPv6 address, for diagnostics. */
export function explainIPv6(text: string): string | undefined {
  if (parseIPv6(text)) return undefined;
  if (text.includes('%')) return 'zone identifiers (%eth0) are not allowed in DNS data';
  if (text.startsWith('[') || text.endsWith(']')) return 'remove the square brackets';
  if (isIPv4(text)) return 'it is an IPv4 address; use an A record, or write it as ::ffff:' + text;
  if ((text.match(/::/g) ?? []).length > 1) return "'::' may appear only once";
  const bad = text.split(/[:.]/).find((group) => group !== '' && !/^[0-9a-fA-F]{1,4}$/.test(group) && !/^[0-9]{1,3}$/.test(group));
  if (bad !== undefined) return `'${bad}' is not a group of 1 to 4 hexadecimal digits`;
  return 'it does not have eight 16-bit groups (use :: to abbreviate runs of zeros)';
}

/** The RFC 5952 canonical text form (lower case, longest zero run compressed, IPv4-mapped kept dotted). */
export function canonicalIPv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1; // a single zero group is not compressed (RFC 5952 §4.2.2)
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const hex = (part: number[]) => part.map((group) => group.toString(16)).join(':');
  if (mapped) return `::ffff:${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'unspecified' | 'multicast' | 'reserved' | 'documentation' | 'shared' | 'unique-local';

export function classifyIPv4(octets: readonly number[]): AddressClass {
  const [a, b, c] = octets as [number, number, number, number];
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'shared';
  if (a === 169 && b === 254) return 'link-local';
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'documentation';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return 'public';
}

export function classifyIPv6(groups: readonly number[]): AddressClass {
  const first = groups[0]!;
  if (groups.every((group) => group === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return 'loopback';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xfe00) === 0xfc00) return 'unique-local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if (first === 0x2001 && groups[1] === 0x0db8) return 'documentation';
  return 'public';
}
