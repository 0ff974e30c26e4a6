import type { Finding } from '../diagnostics/types.js';

/**
 * Values of the record types that carry keys and fingerprints as hex: DS
 * (RFC 4034 §5.3), SSHFP (RFC 4255 §3.2) and TLSA (RFC 6698 §2.2). Each checks
 * its numeric fields, and the digest length where the algorithm fixes it.
 */

const UINT8 = /^(0|[1-9][0-9]{0,2})$/;
const uint8 = (text: string | undefined) => (text !== undefined && UINT8.test(text) && Number(text) <= 255 ? Number(text) : undefined);

/** The hex data of the fields from `start` on (presentation form may split it with spaces). */
function hexField(fields: readonly string[], start: number): string {
  return fields.slice(start).join('');
}

function hexProblem(what: string, hex: string, expectedBytes: number | undefined): string | undefined {
  if (hex === '') return `the ${what} is missing`;
  if (!/^[0-9a-f]+$/i.test(hex)) return `the ${what} '${hex.length > 24 ? `${hex.slice(0, 24)}…` : hex}' is not hexadecimal`;
  if (hex.length % 2 !== 0) return `the ${what} has an odd number of hex digits (${hex.length})`;
  if (expectedBytes !== undefined && hex.length !== expectedBytes * 2) return `the ${what} has ${hex.length} hex digits; this digest type has ${expectedBytes * 2}`;
  return undefined;
}

/** Digest sizes by DS digest type (RFC 3658 SHA-1, RFC 4509 SHA-256, RFC 5933 GOST, RFC 6605 SHA-384). */
const DS_DIGEST_BYTES: Record<number, number> = { 1: 20, 2: 32, 3: 32, 4: 48 };

export function validateDS(value: string): Finding[] {
  const fields = value.trim().split(/\s+/);
  const code = 'dns/ds-format' as const;
  if (fields.length < 4)
    return [{ code, message: `the DS value has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 'key-tag algorithm digest-type digest', e.g. '12345 13 2 <64 hex digits>'` }];
  const findings: Finding[] = [];
  const keyTag = /^(0|[1-9][0-9]{0,4})$/.test(fields[0]!) && Number(fields[0]) <= 65535;
  if (!keyTag) findings.push({ code, message: `the DS key tag '${fields[0]}' is not a whole number from 0 to 65535` });
  if (uint8(fields[1]) === undefined) findings.push({ code, message: `the DS algorithm '${fields[1]}' is not a number from 0 to 255 (e.g. 13 for ECDSA P-256)` });
  const digestType = uint8(fields[2]);
  if (digestType === undefined) findings.push({ code, message: `the DS digest type '${fields[2]}' is not a number from 0 to 255 (2 for SHA-256)` });
  const problem = hexProblem('DS digest', hexField(fields, 3), digestType === undefined ? undefined : DS_DIGEST_BYTES[digestType]);
  if (problem) findings.push({ code, message: problem });
  return findings;
}

/** Fingerprint sizes by SSHFP fingerprint type (RFC 4255 SHA-1, RFC 6594 SHA-256). */
const SSHFP_BYTES: Record<number, number> = { 1: 20, 2: 32 };

export function validateSSHFP(value: string): Finding[] {
  const fields = value.trim().split(/\s+/);
  const code = 'dns/sshfp-format' as const;
  if (fields.length < 3)
    return [{ code, message: `the SSHFP value has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 'algorithm fingerprint-type fingerprint', e.g. '4 2 <64 hex digits>'` }];
  const findings: Finding[] = [];
  if (uint8(fields[0]) === undefined) findings.push({ code, message: `the SSHFP algorithm '${fields[0]}' is not a number from 0 to 255 (1 RSA, 2 DSA, 3 ECDSA, 4 Ed25519)` });
  const type = uint8(fields[1]);
  if (type === undefined) findings.push({ code, message: `the SSHFP fingerprint type '${fields[1]}' is not a number from 0 to 255 (1 SHA-1, 2 SHA-256)` });
  const problem = hexProblem('SSHFP fingerprint', hexField(fields, 2), type === undefined ? undefined : SSHFP_BYTES[type]);
  if (problem) findings.push({ code, message: problem });
  return findings;
}

/** Association data sizes by TLSA matching type (RFC 6698 §2.1.3: 1 SHA-256, 2 SHA-512). */
const TLSA_BYTES: Record<number, number> = { 1: 32, 2: 64 };

export function validateTLSA(value: string): Finding[] {
  const fields = value.trim().split(/\s+/);
  const code = 'dns/tlsa-format' as const;
  if (fields.length < 4)
    return [{ code, message: `the TLSA value has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 'usage selector matching-type data', e.g. '3 1 1 <64 hex digits>'` }];
  const findings: Finding[] = [];
  const usage = uint8(fields[0]);
  if (usage === undefined || usage > 3)
    findings.push({ code, message: `the TLSA certificate usage '${fields[0]}' must be 0 to 3 (3 is DANE-EE)`, ...(usage === undefined ? {} : { severity: 'warning' as const }) });
  const selector = uint8(fields[1]);
  if (selector === undefined || selector > 1)
    findings.push({ code, message: `the TLSA selector '${fields[1]}' must be 0 (whole certificate) or 1 (public key)`, ...(selector === undefined ? {} : { severity: 'warning' as const }) });
  const matching = uint8(fields[2]);
  if (matching === undefined || matching > 2)
    findings.push({ code, message: `the TLSA matching type '${fields[2]}' must be 0 (exact), 1 (SHA-256) or 2 (SHA-512)`, ...(matching === undefined ? {} : { severity: 'warning' as const }) });
  const problem = hexProblem('TLSA association data', hexField(fields, 3), matching === undefined ? undefined : TLSA_BYTES[matching]);
  if (problem) findings.push({ code, message: problem });
  return findings;
}
