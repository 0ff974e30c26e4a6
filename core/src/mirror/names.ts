/**
 * What a request path may name. Every segment is checked against the
 * registry's own naming rules before it is used in a storage key or an
 * upstream URL, so traversal (`..`, encoded slashes) never gets through.
 */

export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

const PART = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$/;
const HOST = /^(?=.{1,253}(?::\d{1,5})?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;
const VERSION = /^\d{1,9}\.\d{1,9}\.\d{1,9}(?:-[0-9A-Za-z.-]{1,64})?(?:\+[0-9A-Za-z.-]{1,64})?$/;
const PLATFORM = /^([a-z0-9]{1,32})_([a-z0-9]{1,32})$/;
const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$/;

export type SegmentKind = 'hostname' | 'namespace' | 'type' | 'name' | 'system' | 'version' | 'platform' | 'filename';

const RULES: Record<SegmentKind, { pattern: RegExp; expected: string }> = {
  hostname: { pattern: HOST, expected: 'a lower-case registry hostname, optionally with :port' },
  namespace: { pattern: PART, expected: 'letters, digits, "-" or "_" (at most 64), not starting or ending with "-"' },
  type: { pattern: PART, expected: 'letters, digits, "-" or "_" (at most 64), not starting or ending with "-"' },
  name: { pattern: PART, expected: 'letters, digits, "-" or "_" (at most 64), not starting or ending with "-"' },
  system: { pattern: PART, expected: 'letters, digits, "-" or "_" (at most 64), not starting or ending with "-"' },
  version: { pattern: VERSION, expected: 'a semantic version such as 1.2.3' },
  platform: { pattern: PLATFORM, expected: 'OS_ARCH such as linux_amd64' },
  filename: { pattern: FILENAME, expected: 'a file name of letters, digits and . _ + - (no path)' },
};

/** Checks one decoded path segment; throws BadRequestError naming it. */
export function checkSegment(kind: SegmentKind, value: string): string {
  const rule = RULES[kind];
  if (!rule.pattern.test(value) || value.includes('..')) throw new BadRequestError(`invalid ${kind} "${truncate(value)}" in the path: expected ${rule.expected}`);
  return value;
}

/** Splits a raw request path into decoded segments, refusing anything that could escape a folder. */
export function pathSegments(rawPath: string): string[] {
  if (rawPath.length > 2048) throw new BadRequestError('the request path is longer than 2048 characters');
  if (!rawPath.startsWith('/')) throw new BadRequestError('the request path must start with "/"');
  const segments = rawPath.slice(1).split('/');
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  return segments.map((raw) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      throw new BadRequestError(`the path segment "${truncate(raw)}" is not valid percent-encoding`);
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded))
      throw new BadRequestError(`the path segment "${truncate(raw)}" is not allowed (empty, dot segment, slash or NUL)`);
    return decoded;
  });
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

export function splitPlatform(platform: string): { os: string; arch: string } {
  const match = PLATFORM.exec(checkSegment('platform', platform))!;
  return { os: match[1]!, arch: match[2]! };
}

export function isValidHostname(value: string): boolean {
  return HOST.test(value);
}
