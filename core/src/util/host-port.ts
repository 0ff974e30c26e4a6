/**
 * Splits `HOST:PORT` (IPv6 as `[ADDR]:PORT`) into its parts; the port may be
 * left out unless required. Undefined when the text is not of that form; the
 * port's range is the caller's to check.
 */
export function parseHostPort(value: string, { portRequired = false } = {}): { host: string; port?: string } | undefined {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(value);
  if (!match || (portRequired && match[3] === undefined)) return undefined;
  return { host: match[1] ?? match[2]!, ...(match[3] !== undefined ? { port: match[3] } : {}) };
}
