/** The dynamic-DNS engine: IP sources → idempotent, rate-limited record updates through pluggable providers. */
export { DdnsEngine, type EngineOptions, type UpdateResult, type UpdateStatus } from './engine.js';
export { StateStore, type RecordState } from './state.js';
export { DdnsConfigError, DDNS_VARIABLES, loadDdnsConfig, readDdnsSettings, type DdnsConfig, type DdnsSettings } from './config.js';
export { DDNS_PROVIDERS, providerDefinition, type ProviderDefinition, type ProviderSetting, type ZoneSource } from './registry.js';
export { DesecProvider, DigitalOceanProvider, DuckDnsProvider, Dyndns2Provider, GandiProvider, HetznerProvider, PorkbunProvider, Route53Provider } from './rest-providers.js';
export { CloudflareProvider, DreamhostProvider, Rfc2136Provider, type CloudflareSettings, type Rfc2136Settings } from './providers.js';
/** Providers that take a record's zone from its name need the public suffix list: loadDdnsConfig loads it; a program building such providers itself awaits loadPublicSuffixList() first. */
export { loadPublicSuffixList, zoneOf } from './zones.js';
export { buildUpdate, DnsUpdateError, queryAddresses, queryZone, sendUpdate, TSIG_ALGORITHMS, type TsigKey, type UpdateRequest } from './rfc2136.js';
export { acceptable, CommandSource, HttpEchoSource, InterfaceSource, withSuffix, listAddresses, normaliseAddress, DEFAULT_ECHO_URLS, type AddressFilter, type IpSource } from './sources.js';
export { PermanentUpdateError, systemClock, recordKey, type Clock, type DdnsProvider, type DdnsRecord, type Family, type IpEvent } from './types.js';
export { ChangeHooks, DdnsMonitor, startHealthServer, type DdnsChange, type HookOptions, type RecordHealth } from './operations.js';
