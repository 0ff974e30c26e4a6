import { isValidHostname } from './names.js';

/* What an upstream setting says, apart from the HTTP client: the editor checks settings with it. */

/** One registry the mirror may contact: the hostname clients name, and where it is reached. */
export interface Upstream {
  /** The registry hostname in provider and module addresses, e.g. registry.terraform.io. */
  hostname: string;
  /** Its base URL (normally https://<hostname>; tests point it at a local server). */
  baseUrl: string;
}

export const DEFAULT_UPSTREAMS = ['registry.terraform.io', 'registry.opentofu.org'];

/** Parses `--upstream` values: `HOST` or `HOST=URL`. */
export function parseUpstream(spec: string): Upstream {
  const [hostname = '', url] = spec.split('=', 2);
  if (!isValidHostname(hostname)) throw new Error(`--upstream "${spec}": "${hostname}" is not a registry hostname (lower-case, e.g. registry.terraform.io)`);
  if (url === undefined) return { hostname, baseUrl: `https://${hostname}` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--upstream "${spec}": "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`--upstream "${spec}": the URL must be http or https`);
  return { hostname, baseUrl: parsed.origin + parsed.pathname.replace(/\/$/, '') };
}
