export { DnsRules } from './rules.js';
export { RECORD_TYPES, RECORD_TYPE_NAMES, DREAMHOST_RECORD_TYPES, HOST_TARGET_TYPES, isRecordType, recordTypeInfo, type RecordType, type RecordTypeInfo } from './types.js';
export { parseIPv4, parseIPv6, isIPv4, isIPv6, explainIPv4, explainIPv6, canonicalIPv6, classifyIPv4, classifyIPv6, type AddressClass } from './ip.js';
export { validateRecordName, validateTargetHost, srvNameFor, normalizeName, toPunycode, zoneApexOf, isZoneApex, MAX_NAME_LENGTH, MAX_LABEL_LENGTH, type HostOptions } from './names.js';
export { validateRecordValue, tokenizeValue, MAX_CHARACTER_STRING, type ValueToken } from './values.js';
export { checkZoneRules, type ZoneRecord, type ZoneFinding } from './zone.js';
export { describeRecordValue } from './describe.js';
