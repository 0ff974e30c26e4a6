import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import type { Agent } from 'undici';
import { loadUndici } from '../http/index.js';
import { classifyIPv4, classifyIPv6, parseIPv4, parseIPv6, canonicalIPv6 } from '../dns/ip.js';
import type { Family, IpEvent } from './types.js';

export interface AddressFilter {
  /** Accept RFC 1918, CGNAT (100.64/10) and unique-local (fc00::/7) addresses (default false). */
  allowPrivate?: boolean;
  /** Accept link-local addresses (default false). */
  allowLinkLocal?: boolean;
  /** Accept IPv6 temporary (privacy) addresses (default false: they change by design). */
  allowTemporary?: boolean;
}

export interface InterfaceAddress {
  interface: string;
  address: string;
  family: Family;
  temporary?: boolean;
  deprecated?: boolean;
}

/** Whether an address may be published, by its class and flags. */
export function acceptable(entry: InterfaceAddress, filter: AddressFilter): boolean {
  if (entry.deprecated) return false;
  if (entry.temporary && !filter.allowTemporary) return false;
  const kind = entry.family === 4 ? classifyIPv4(parseIPv4(entry.address) ?? []) : classifyIPv6(parseIPv6(entry.address) ?? []);
  if (kind === 'public') return true;
  if (kind === 'private' || kind === 'shared' || kind === 'unique-local') return filter.allowPrivate === true;
  if (kind === 'link-local') return filter.allowLinkLocal === true;
  return false;
}

/** Normalises an address to the form published (IPv6 per RFC 5952). */
export function normaliseAddress(address: string, family: Family): string | undefined {
  if (family === 4) return parseIPv4(address) ? address : undefined;
  const groups = parseIPv6(address.split('%')[0]!);
  return groups ? canonicalIPv6(groups) : undefined;
}

/**
 * The machine's addresses. IPv6 needs `ip -json addr` for the temporary and
 * deprecated flags; IPv4 alone is read in process (os.networkInterfaces()),
 * which saves a process start on every change.
 */
export async function listAddresses(families: Family[] = [4, 6]): Promise<InterfaceAddress[]> {
  const viaIp = !families.includes(6)
    ? undefined
    : await new Promise<string | undefined>((resolve) => execFile('ip', ['-json', 'addr', 'show'], { timeout: 5000 }, (error, stdout) => resolve(error ? undefined : stdout)));
  if (viaIp) {
    try {
      const links = JSON.parse(viaIp) as { ifname: string; addr_info?: { family: string; local: string; temporary?: boolean; deprecated?: boolean; preferred_life_time?: number }[] }[];
      return links.flatMap((link) =>
        (link.addr_info ?? [])
          .filter((info) => info.family === 'inet' || info.family === 'inet6')
          .map((info) => ({
            interface: link.ifname,
            address: info.local,
            family: (info.family === 'inet' ? 4 : 6) as Family,
            temporary: info.temporary === true,
            deprecated: info.deprecated === true || info.preferred_life_time === 0,
          })),
      );
    } catch {
      // fall through to Node's view
    }
  }
  return Object.entries(networkInterfaces()).flatMap(([name, entries]) =>
    (entries ?? []).map((entry) => ({ interface: name, address: entry.address, family: (entry.family === 'IPv4' ? 4 : 6) as Family })),
  );
}

/** Passes on the events whose address differs from the last one seen for the family. */
function emitChanges(events: IpEvent[], last: Map<Family, string>, emit: (event: IpEvent) => void): void {
  for (const event of events) {
    if (last.get(event.family) === event.address) continue;
    last.set(event.family, event.address);
    emit(event);
  }
}

/** Something that reports address changes until stopped. */
export interface IpSource {
  readonly name: string;
  start(emit: (event: IpEvent) => void): Promise<void>;
  /** The current addresses once, without watching (for --once). */
  snapshot(): Promise<IpEvent[]>;
  stop(): void;
}

/** A source that asks at an interval (default 5 minutes) and reports the addresses that changed. */
abstract class PollingSource implements IpSource {
  abstract readonly name: string;
  private timer: NodeJS.Timeout | undefined;
  private readonly last = new Map<Family, string>();
  constructor(private readonly intervalMs = 300_000) {}

  abstract snapshot(): Promise<IpEvent[]>;

  async start(emit: (event: IpEvent) => void): Promise<void> {
    const check = async (): Promise<void> => emitChanges(await this.snapshot(), this.last, emit);
    await check();
    this.timer = setInterval(() => void check(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface InterfaceSourceOptions extends AddressFilter {
  /** Only this interface (default: any). */
  interfaceName?: string;
  families: Family[];
  /** Poll interval when `ip monitor` is not available (default 30 s). */
  pollMs?: number;
  /** Use polling even where `ip monitor` exists. */
  forcePolling?: boolean;
}

/**
 * Local interface addresses. On Linux it sleeps on `ip monitor address`
 * (netlink events from the kernel) and reads the addresses only when
 * something changed: no cost while nothing happens. Elsewhere it polls.
 */
export class InterfaceSource implements IpSource {
  readonly name: string;
  private monitor: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private readonly last = new Map<Family, string>();
  private stopped = false;
  /** How changes are detected: "ip monitor" or "polling". */
  mode: 'ip monitor' | 'polling' = 'polling';

  constructor(private readonly options: InterfaceSourceOptions) {
    this.name = `interface ${options.interfaceName ?? '(any)'}`;
  }

  async snapshot(): Promise<IpEvent[]> {
    const all = await listAddresses(this.options.families);
    const events: IpEvent[] = [];
    for (const family of this.options.families) {
      const candidates = all.filter((entry) => entry.family === family && (!this.options.interfaceName || entry.interface === this.options.interfaceName) && acceptable(entry, this.options));
      const chosen = candidates[0];
      const address = chosen && normaliseAddress(chosen.address, family);
      if (address) events.push({ family, address, source: `interface ${chosen.interface}` });
    }
    return events;
  }

  private async check(emit: (event: IpEvent) => void): Promise<void> {
    if (this.stopped) return;
    emitChanges(await this.snapshot(), this.last, emit);
  }

  async start(emit: (event: IpEvent) => void): Promise<void> {
    await this.check(emit);
    if (!this.options.forcePolling && process.platform === 'linux') {
      const started = await new Promise<ChildProcess | undefined>((resolve) => {
        const child = spawn('ip', ['monitor', 'address'], { stdio: ['ignore', 'pipe', 'ignore'] });
        child.once('spawn', () => resolve(child));
        child.once('error', () => resolve(undefined));
      });
      if (started) {
        this.monitor = started;
        this.mode = 'ip monitor';
        started.stdout!.on('data', () => {
          // A burst of netlink lines is one change: read the addresses once, right after.
          clearTimeout(this.debounce);
          this.debounce = setTimeout(() => void this.check(emit), 5);
        });
        started.once('exit', () => {
          if (!this.stopped) this.poll(emit);
        });
        return;
      }
    }
    this.poll(emit);
  }

  private poll(emit: (event: IpEvent) => void): void {
    this.mode = 'polling';
    this.timer = setInterval(() => void this.check(emit), this.options.pollMs ?? 30_000);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    this.monitor?.kill();
  }
}

export const DEFAULT_ECHO_URLS = {
  4: ['https://api.ipify.org', 'https://ipv4.icanhazip.com', 'https://v4.ident.me'],
  6: ['https://api6.ipify.org', 'https://ipv6.icanhazip.com', 'https://v6.ident.me'],
} as const;

export interface HttpSourceOptions {
  families: Family[];
  /** Echo services per family: each answers with the caller's address as text. */
  urls?: Partial<Record<Family, string[]>>;
  /** Poll interval (default 5 minutes). */
  intervalMs?: number;
  /** How many services must give the same address (default 2, or 1 with a single URL). */
  agree?: number;
  timeoutMs?: number;
}

/**
 * The public address as echo services see it (behind NAT), polled. An
 * address is only believed when enough services agree: one broken or
 * hijacked service cannot publish a wrong address.
 */
export class HttpEchoSource extends PollingSource {
  readonly name = 'http';
  private readonly agents = new Map<Family, Agent>();

  constructor(private readonly options: HttpSourceOptions) {
    super(options.intervalMs);
  }

  /** undici is loaded with the first request: a watcher of local interfaces never needs it (it is most of a process's memory). */
  private async agentFor(family: Family): Promise<{ agent: Agent; request: typeof import('undici').request }> {
    const undici = await loadUndici();
    let agent = this.agents.get(family);
    if (!agent) this.agents.set(family, (agent = new undici.Agent({ connect: { family, timeout: this.options.timeoutMs ?? 5000 } as never })));
    return { agent, request: undici.request };
  }

  private async ask(url: string, family: Family): Promise<string | undefined> {
    try {
      const { agent, request } = await this.agentFor(family);
      const response = await request(url, {
        dispatcher: agent,
        headersTimeout: this.options.timeoutMs ?? 5000,
        bodyTimeout: this.options.timeoutMs ?? 5000,
        headers: { accept: 'text/plain', 'user-agent': 'shoreline-ddns' },
      });
      const text = (await response.body.text()).trim().slice(0, 100);
      if (response.statusCode !== 200) return undefined;
      return normaliseAddress(text, family);
    } catch {
      return undefined;
    }
  }

  async snapshot(): Promise<IpEvent[]> {
    const events: IpEvent[] = [];
    for (const family of this.options.families) {
      const urls = this.options.urls?.[family] ?? [...DEFAULT_ECHO_URLS[family]];
      const needed = this.options.agree ?? Math.min(2, urls.length);
      const answers = await Promise.all(urls.map((url) => this.ask(url, family)));
      const votes = new Map<string, number>();
      for (const answer of answers) if (answer) votes.set(answer, (votes.get(answer) ?? 0) + 1);
      const [best, count] = [...votes].sort((a, b) => b[1] - a[1])[0] ?? [];
      if (best && count! >= needed && acceptable({ interface: 'http', address: best, family }, {})) events.push({ family, address: best, source: 'http' });
    }
    return events;
  }

  override stop(): void {
    super.stop();
    for (const agent of this.agents.values()) void agent.close();
  }
}

export interface CommandSourceOptions extends AddressFilter {
  /** A shell command that prints the address(es): one per line or separated by spaces (a router's CLI, a UPnP query). */
  command: string;
  families: Family[];
  /** How often it is run (default 5 minutes). */
  intervalMs?: number;
  timeoutMs?: number;
}

/**
 * Addresses printed by a command, run at an interval: for routers and
 * gateways that know the public address when this machine does not (UPnP,
 * SSH to the router, a provider's CLI). The first acceptable address of each
 * family in its output counts; a failing command is an empty snapshot, logged
 * by the caller.
 */
export class CommandSource extends PollingSource {
  readonly name = 'command';
  /** Why the last run gave nothing, for the logs. */
  lastError: string | undefined;

  constructor(private readonly options: CommandSourceOptions) {
    super(options.intervalMs);
  }

  private run(): Promise<string> {
    return new Promise((resolve) => {
      execFile('/bin/sh', ['-c', this.options.command], { timeout: this.options.timeoutMs ?? 30_000, maxBuffer: 65536, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
        this.lastError = error ? `${error.message.split('\n')[0]}${stderr ? `: ${String(stderr).trim().slice(0, 300)}` : ''}` : undefined;
        resolve(error ? '' : String(stdout));
      });
    });
  }

  async snapshot(): Promise<IpEvent[]> {
    const words = (await this.run()).split(/\s+/).filter(Boolean);
    const events: IpEvent[] = [];
    for (const family of this.options.families) {
      for (const word of words) {
        const address = normaliseAddress(word, family);
        if (address && (family === 4) === !address.includes(':') && acceptable({ interface: 'command', address, family }, this.options)) {
          events.push({ family, address, source: 'command' });
          break;
        }
      }
    }
    return events;
  }
}

/**
 * Another host's IPv6 address on the same network: the first `prefixLength`
 * bits of this machine's address (the delegated prefix, which changes when
 * the provider renumbers) and the rest from `suffix` (the host's interface
 * identifier, e.g. ::1234:5678:9abc:def0). Undefined when either is not an
 * IPv6 address.
 */
export function withSuffix(address: string, suffix: string, prefixLength = 64): string | undefined {
  const prefix = parseIPv6(address);
  const host = parseIPv6(suffix);
  if (!prefix || !host || prefixLength < 0 || prefixLength > 128) return undefined;
  const groups = prefix.map((group, index) => {
    const bits = Math.max(0, Math.min(16, prefixLength - index * 16));
    const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    return (group & mask) | (host[index]! & ~mask & 0xffff);
  });
  return canonicalIPv6(groups);
}
