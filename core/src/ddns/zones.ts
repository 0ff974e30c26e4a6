import { PermanentUpdateError, type DdnsRecord } from './types.js';

type GetDomain = (name: string, options: { allowPrivateDomains: boolean }) => string | null;
let getDomain: GetDomain | undefined;

/**
 * Loads the public suffix list (tldts, a few MiB in memory), which only
 * providers that derive a record's zone from its name need: configuration
 * loading calls it when a record of such a provider has no zone set, so an
 * RFC 2136 watcher (zone from the server's SOA) never carries it.
 */
export async function loadPublicSuffixList(): Promise<void> {
  getDomain ??= (await import('tldts')).getDomain;
}

/** The zone the record's own setting names, without its trailing dot. */
export const configuredZone = (record: DdnsRecord): string | undefined => record.zone?.replace(/\.$/, '');

/** The name a record's zone is looked up by: a wildcard's is that of the name it stands under. */
export const zoneLookupName = (record: DdnsRecord): string => record.name.replace(/^\*\./, '');

/** The zone a record belongs to: its own setting, else the registrable domain (public suffix list) of the name (of what a wildcard stands under). */
export function zoneOf(record: DdnsRecord): string {
  const configured = configuredZone(record);
  if (configured) return configured;
  if (!getDomain) throw new Error(`the zone of ${record.name} comes from the public suffix list, which is not loaded: await loadPublicSuffixList() first`);
  const domain = getDomain(zoneLookupName(record), { allowPrivateDomains: true });
  if (!domain) throw new PermanentUpdateError(`cannot tell the zone of ${record.name}: set its zone`);
  return domain;
}
