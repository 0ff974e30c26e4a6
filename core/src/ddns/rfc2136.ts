import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIP, Socket } from 'node:net';
import { canonicalIPv6, parseIPv4, parseIPv6 } from '../dns/ip.js';

/**
 * DNS UPDATE (RFC 2136) signed with TSIG (RFC 8945): replace one RRset with
 * one address. Messages are built and checked here, over UDP with a TCP
 * retry when the answer is truncated; the server's signed answer is verified.
 */

export const TSIG_ALGORITHMS: Record<string, { wire: string; hash: string }> = {
  'hmac-md5': { wire: 'hmac-md5.sig-alg.reg.int', hash: 'md5' },
  'hmac-sha1': { wire: 'hmac-sha1', hash: 'sha1' },
  'hmac-sha224': { wire: 'hmac-sha224', hash: 'sha224' },
  'hmac-sha256': { wire: 'hmac-sha256', hash: 'sha256' },
  'hmac-sha384': { wire: 'hmac-sha384', hash: 'sha384' },
  'hmac-sha512': { wire: 'hmac-sha512', hash: 'sha512' },
};

export interface TsigKey {
  name: string;
  /** The shared secret, base64 as in BIND's key statement. */
  secret: string;
  algorithm: string;
}

export interface UpdateRequest {
  server: string;
  port?: number;
  zone: string;
  name: string;
  type: 'A' | 'AAAA';
  address: string;
  ttl: number;
  key: TsigKey;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];
const TSIG_ERRORS: Record<number, string> = { 16: 'BADSIG', 17: 'BADKEY', 18: 'BADTIME', 22: 'BADTRUNC' };
const TYPE = { A: 1, SOA: 6, AAAA: 28, TSIG: 250 } as const;
const CLASS = { IN: 1, ANY: 255 } as const;

export class DnsUpdateError extends Error {
  constructor(
    message: string,
    readonly rcode?: string,
    /** True when retrying cannot help (refused, bad key, not authoritative). */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DnsUpdateError';
  }
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label.toLowerCase(), 'ascii');
    if (bytes.length > 63) throw new DnsUpdateError(`the DNS label "${label}" is longer than 63 characters`, undefined, true);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function u48(value: number): Buffer {
  const buffer = Buffer.alloc(6);
  buffer.writeUIntBE(value, 0, 6);
  return buffer;
}

function rdataOf(type: 'A' | 'AAAA', address: string): Buffer {
  if (type === 'A') {
    const octets = parseIPv4(address);
    if (!octets) throw new DnsUpdateError(`"${address}" is not an IPv4 address`, undefined, true);
    return Buffer.from(octets);
  }
  const groups = parseIPv6(address);
  if (!groups) throw new DnsUpdateError(`"${address}" is not an IPv6 address`, undefined, true);
  return Buffer.concat(groups.map(u16));
}

function algorithmOf(key: TsigKey): { wire: string; hash: string } {
  const algorithm = TSIG_ALGORITHMS[key.algorithm.toLowerCase()];
  if (!algorithm) throw new DnsUpdateError(`unknown TSIG algorithm "${key.algorithm}" (expected one of ${Object.keys(TSIG_ALGORITHMS).join(', ')})`, undefined, true);
  return algorithm;
}

function tsigVariables(key: TsigKey, timeSigned: number, fudge: number, error: number, other: Buffer): Buffer {
  return Buffer.concat([encodeName(key.name), u16(CLASS.ANY), u32(0), encodeName(algorithmOf(key).wire), u48(timeSigned), u16(fudge), u16(error), u16(other.length), other]);
}

/** Builds the signed UPDATE message; returns it with the MAC (needed to check the answer). */
export function buildUpdate(request: Omit<UpdateRequest, 'server'>, id = randomInt(0, 65536), now = Date.now()): { message: Buffer; mac: Buffer; id: number } {
  const fqdn = request.name.replace(/\.$/, '');
  const zone = request.zone.replace(/\.$/, '');
  if (fqdn.toLowerCase() !== zone.toLowerCase() && !fqdn.toLowerCase().endsWith(`.${zone.toLowerCase()}`)) throw new DnsUpdateError(`${fqdn} is not inside the zone ${zone}`, undefined, true);
  const typeCode = TYPE[request.type];
  const rdata = rdataOf(request.type, request.address);
  const header = Buffer.concat([u16(id), u16(5 << 11), u16(1), u16(0), u16(2), u16(0)]);
  const zoneSection = Buffer.concat([encodeName(zone), u16(TYPE.SOA), u16(CLASS.IN)]);
  const deleteRrset = Buffer.concat([encodeName(fqdn), u16(typeCode), u16(CLASS.ANY), u32(0), u16(0)]);
  const add = Buffer.concat([encodeName(fqdn), u16(typeCode), u16(CLASS.IN), u32(request.ttl), u16(rdata.length), rdata]);
  const unsigned = Buffer.concat([header, zoneSection, deleteRrset, add]);
  const algorithm = algorithmOf(request.key);
  const timeSigned = Math.floor(now / 1000);
  const fudge = 300;
  const mac = createHmac(algorithm.hash, Buffer.from(request.key.secret, 'base64'))
    .update(Buffer.concat([unsigned, tsigVariables(request.key, timeSigned, fudge, 0, Buffer.alloc(0))]))
    .digest();
  const tsigRdata = Buffer.concat([encodeName(algorithm.wire), u48(timeSigned), u16(fudge), u16(mac.length), mac, u16(id), u16(0), u16(0)]);
  const tsig = Buffer.concat([encodeName(request.key.name), u16(TYPE.TSIG), u16(CLASS.ANY), u32(0), u16(tsigRdata.length), tsigRdata]);
  const message = Buffer.concat([unsigned, tsig]);
  message.writeUInt16BE(1, 10); // ARCOUNT: the TSIG record
  return { message, mac, id };
}

function skipName(buffer: Buffer, offset: number): number {
  for (let guard = 0; guard < 128; guard++) {
    const length = buffer[offset];
    if (length === undefined) throw new DnsUpdateError('the answer is truncated inside a name');
    if (length === 0) return offset + 1;
    if ((length & 0xc0) === 0xc0) return offset + 2;
    offset += length + 1;
  }
  throw new DnsUpdateError('the answer has a name that never ends');
}

interface ParsedAnswer {
  id: number;
  rcode: string;
  truncated: boolean;
  tsig?: { start: number; timeSigned: number; fudge: number; mac: Buffer; error: number; other: Buffer };
}

export function parseAnswer(buffer: Buffer): ParsedAnswer {
  if (buffer.length < 12) throw new DnsUpdateError('the answer is shorter than a DNS header');
  const flags = buffer.readUInt16BE(2);
  const counts = [buffer.readUInt16BE(4), buffer.readUInt16BE(6), buffer.readUInt16BE(8), buffer.readUInt16BE(10)];
  let offset = 12;
  for (let i = 0; i < counts[0]!; i++) offset = skipName(buffer, offset) + 4;
  const records = counts[1]! + counts[2]! + counts[3]!;
  let tsig: ParsedAnswer['tsig'];
  for (let i = 0; i < records; i++) {
    const start = offset;
    offset = skipName(buffer, offset);
    const type = buffer.readUInt16BE(offset);
    const rdlength = buffer.readUInt16BE(offset + 8);
    const rdata = offset + 10;
    if (type === TYPE.TSIG && i === records - 1) {
      let at = skipName(buffer, rdata);
      const timeSigned = buffer.readUIntBE(at, 6);
      const fudge = buffer.readUInt16BE(at + 6);
      const macSize = buffer.readUInt16BE(at + 8);
      const mac = buffer.subarray(at + 10, at + 10 + macSize);
      at += 10 + macSize + 2;
      const error = buffer.readUInt16BE(at);
      const otherLength = buffer.readUInt16BE(at + 2);
      tsig = { start, timeSigned, fudge, mac, error, other: buffer.subarray(at + 4, at + 4 + otherLength) };
    }
    offset = rdata + rdlength;
  }
  const rcode = flags & 0xf;
  return { id: buffer.readUInt16BE(0), rcode: RCODES[rcode] ?? `RCODE${rcode}`, truncated: (flags & 0x0200) !== 0, ...(tsig ? { tsig } : {}) };
}

/** Checks the server's TSIG on the answer (RFC 8945 §5.3): it proves the answer came from a holder of the key. */
export function verifyAnswer(buffer: Buffer, answer: ParsedAnswer, requestMac: Buffer, key: TsigKey): boolean {
  if (!answer.tsig || answer.tsig.mac.length === 0) return false;
  const unsigned = Buffer.from(buffer.subarray(0, answer.tsig.start));
  unsigned.writeUInt16BE(buffer.readUInt16BE(10) - 1, 10);
  const expected = createHmac(algorithmOf(key).hash, Buffer.from(key.secret, 'base64'))
    .update(Buffer.concat([u16(requestMac.length), requestMac, unsigned, tsigVariables(key, answer.tsig.timeSigned, answer.tsig.fudge, answer.tsig.error, answer.tsig.other)]))
    .digest();
  return expected.length === answer.tsig.mac.length && timingSafeEqual(expected, answer.tsig.mac);
}

/** What a socket error means for an exchange with a DNS server. */
function socketProblem(server: string, port: number, error: NodeJS.ErrnoException, transport = ''): DnsUpdateError {
  if (error.code === 'ECONNREFUSED') return new DnsUpdateError(`${server}:${port}${transport}: connection refused (is the DNS server running and listening on port ${port}?)`);
  if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH') return new DnsUpdateError(`${server}:${port}${transport}: no route to the server (${error.code})`);
  return new DnsUpdateError(`${server}:${port}${transport}: ${error.message}`);
}

function exchangeUdp(server: string, port: number, message: Buffer, id: number, timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(server) === 6 ? 'udp6' : 'udp4');
    const finish = (error?: Error, data?: Buffer): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.close();
      if (error) reject(error);
      else resolve(data!);
    };
    const onAbort = (): void => finish(new DnsUpdateError('the update was cancelled'));
    const timer = setTimeout(() => finish(new DnsUpdateError(`no answer from ${server}:${port} within ${timeoutMs} ms`)), timeoutMs);
    signal?.addEventListener('abort', onAbort);
    // A connected socket hears the ICMP port unreachable of a server that is down: it fails at once instead of timing out.
    socket.on('error', (error) => finish(socketProblem(server, port, error)));
    socket.on('message', (data) => {
      if (data.length >= 2 && data.readUInt16BE(0) === id) finish(undefined, data);
    });
    socket.connect(port, server, () => socket.send(message));
  });
}

function exchangeTcp(server: string, port: number, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new DnsUpdateError(`no answer from ${server}:${port} (TCP) within ${timeoutMs} ms`)));
    socket.on('error', (error) => reject(error instanceof DnsUpdateError ? error : socketProblem(server, port, error, ' (TCP)')));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        socket.end();
        resolve(received.subarray(2, 2 + received.readUInt16BE(0)));
      }
    });
    socket.connect(port, server, () => socket.write(Buffer.concat([u16(message.length), message])));
  });
}

/** Sends one signed update and checks the answer; throws DnsUpdateError saying what the server said. */
export async function sendUpdate(request: UpdateRequest): Promise<void> {
  const port = request.port ?? 53;
  const timeoutMs = request.timeoutMs ?? 3000;
  const { message, mac, id } = buildUpdate(request);
  let data = await exchangeUdp(request.server, port, message, id, timeoutMs, request.signal);
  let answer = parseAnswer(data);
  if (answer.truncated) {
    data = await exchangeTcp(request.server, port, message, timeoutMs);
    answer = parseAnswer(data);
  }
  const tsigError = answer.tsig?.error ? (TSIG_ERRORS[answer.tsig.error] ?? `TSIG error ${answer.tsig.error}`) : undefined;
  if (tsigError)
    throw new DnsUpdateError(
      `${request.server} refused the TSIG key "${request.key.name}" (${answer.rcode}/${tsigError}): check RFC2136_TSIG_KEY_NAME, RFC2136_TSIG_SECRET and RFC2136_TSIG_ALGORITHM`,
      answer.rcode,
      true,
    );
  if (answer.rcode !== 'NOERROR') {
    const permanent = ['REFUSED', 'NOTAUTH', 'NOTZONE', 'FORMERR', 'NOTIMP'].includes(answer.rcode);
    throw new DnsUpdateError(
      `${request.server} answered ${answer.rcode} to the update of ${request.name} ${request.type}${answer.rcode === 'NOTAUTH' || answer.rcode === 'NOTZONE' ? ` (is ${request.zone} the zone it serves?)` : answer.rcode === 'REFUSED' ? ' (does the zone allow updates with this key?)' : ''}`,
      answer.rcode,
      permanent,
    );
  }
  if (!verifyAnswer(data, answer, mac, request.key)) throw new DnsUpdateError(`the answer from ${request.server} is not signed with the key "${request.key.name}": it cannot be trusted`, answer.rcode);
}

/** A name at `offset` of a message, following compression pointers; returns it and the offset after it. */
function readName(buffer: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let end: number | undefined;
  for (let guard = 0; guard < 128; guard++) {
    const length = buffer[offset];
    if (length === undefined) throw new DnsUpdateError('the answer is truncated inside a name');
    if (length === 0) return { name: labels.join('.').toLowerCase(), end: end ?? offset + 1 };
    if ((length & 0xc0) === 0xc0) {
      end ??= offset + 2;
      offset = buffer.readUInt16BE(offset) & 0x3fff;
      continue;
    }
    labels.push(buffer.toString('latin1', offset + 1, offset + 1 + length));
    offset += length + 1;
  }
  throw new DnsUpdateError('the answer has a name that never ends');
}

export interface QueryRequest {
  server: string;
  port?: number;
  name: string;
  type: 'A' | 'AAAA';
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface ResourceRecord {
  section: 'answer' | 'authority';
  owner: string;
  type: number;
  rdata: Buffer;
}

/** One plain query (no recursion: the server asked is the one that takes the updates), over UDP with a TCP retry when truncated. */
async function query(request: Omit<QueryRequest, 'type'>, fqdn: string, typeCode: number): Promise<{ rcode: string; records: ResourceRecord[] }> {
  const port = request.port ?? 53;
  const timeoutMs = request.timeoutMs ?? 3000;
  const id = randomInt(0, 65536);
  const message = Buffer.concat([u16(id), u16(0), u16(1), u16(0), u16(0), u16(0), encodeName(fqdn), u16(typeCode), u16(CLASS.IN)]);
  let data = await exchangeUdp(request.server, port, message, id, timeoutMs, request.signal);
  if ((data.readUInt16BE(2) & 0x0200) !== 0) data = await exchangeTcp(request.server, port, message, timeoutMs);
  const rcode = RCODES[data.readUInt16BE(2) & 0xf] ?? 'RCODE';
  let offset = 12;
  for (let i = 0; i < data.readUInt16BE(4); i++) offset = skipName(data, offset) + 4;
  const records: ResourceRecord[] = [];
  const answers = data.readUInt16BE(6);
  const total = answers + data.readUInt16BE(8);
  for (let i = 0; i < total; i++) {
    const owner = readName(data, offset);
    const type = data.readUInt16BE(owner.end);
    const rdlength = data.readUInt16BE(owner.end + 8);
    records.push({ section: i < answers ? 'answer' : 'authority', owner: owner.name, type, rdata: data.subarray(owner.end + 10, owner.end + 10 + rdlength) });
    offset = owner.end + 10 + rdlength;
  }
  return { rcode, records };
}

/** The addresses an authoritative server holds for a name. Empty when the name has none (NXDOMAIN, NODATA). */
export async function queryAddresses(request: QueryRequest): Promise<string[]> {
  const fqdn = request.name.replace(/\.$/, '').toLowerCase();
  const typeCode = TYPE[request.type];
  const { rcode, records } = await query(request, fqdn, typeCode);
  if (rcode === 'NXDOMAIN') return [];
  if (rcode !== 'NOERROR') throw new DnsUpdateError(`${request.server} answered ${rcode} to a query for ${fqdn} ${request.type}`, rcode);
  const addresses: string[] = [];
  for (const { section, owner, type, rdata } of records) {
    if (section !== 'answer' || owner !== fqdn || type !== typeCode) continue;
    if (type === TYPE.A && rdata.length === 4) addresses.push([...rdata].join('.'));
    if (type === TYPE.AAAA && rdata.length === 16) addresses.push(canonicalIPv6(Array.from({ length: 8 }, (_, group) => rdata.readUInt16BE(group * 2))));
  }
  return addresses;
}

/**
 * The zone a name belongs to on this server, found as nsupdate finds it: the
 * owner of the SOA record in the answer (the name is the apex) or in the
 * authority section (any name below it, existing or not). A server that does
 * not serve the name refuses or answers without a SOA: permanent, since
 * retrying cannot change which zones it serves.
 */
export async function queryZone(request: Omit<QueryRequest, 'type'>): Promise<string> {
  const fqdn = request.name.replace(/\.$/, '').toLowerCase();
  const { rcode, records } = await query(request, fqdn, TYPE.SOA);
  const soa = records.find((record) => record.type === TYPE.SOA && (fqdn === record.owner || fqdn.endsWith(`.${record.owner}`)));
  if ((rcode === 'NOERROR' || rcode === 'NXDOMAIN') && soa) return soa.owner;
  throw new DnsUpdateError(
    `${request.server} does not serve a zone holding ${fqdn} (its answer to a SOA query: ${rcode}${rcode === 'NOERROR' ? ' without a SOA record' : ''}): set the record's zone, or name the server that holds it`,
    rcode,
    true,
  );
}
