import type { Finding } from '../diagnostics/types.js';
import { validateTargetHost } from './names.js';
import { tokenizeValue, uint16 } from './values.js';

/**
 * Values of the service-binding types: SVCB and HTTPS (RFC 9460 §2.1) and
 * URI (RFC 7553 §4.4).
 */

/** The SvcParamKeys registered by RFC 9460 §14.3.2 and later (ech, ohttp); keyNNNNN is the generic form. */
const SVC_PARAM_KEYS = ['mandatory', 'alpn', 'no-default-alpn', 'port', 'ipv4hint', 'ech', 'ipv6hint', 'dohpath', 'ohttp', 'tls-supported-groups'];

export function validateSVCB(type: 'SVCB' | 'HTTPS'): (value: string) => Finding[] {
  return (value) => {
    const code = 'dns/svcb-format' as const;
    const { tokens, error } = tokenizeValue(value);
    if (error) return [{ code, message: `the ${type} value's quoting is broken: ${error}` }];
    if (tokens.length < 2) return [{ code, message: `the ${type} value needs at least 'priority target', e.g. '1 . alpn=h2,h3'` }];
    const [priority, target, ...params] = tokens;
    const findings: Finding[] = [];
    const number = priority!.quoted ? undefined : uint16(priority!.text);
    if (number === undefined) findings.push({ code, message: `the ${type} priority '${priority!.text}' is not a whole number from 0 to 65535` });
    if (target!.text !== '.') findings.push(...validateTargetHost(target!.text, { type, role: `${type} target`, allowUnderscore: true }).map((finding) => ({ ...finding, code })));
    if (number === 0 && params.length > 0) findings.push({ code, message: `an ${type} record with priority 0 is an alias and takes no parameters (RFC 9460 §2.4.2)` });
    const seen = new Set<string>();
    for (const param of params) {
      const key = param.text.split('=')[0]!.toLowerCase();
      if (!SVC_PARAM_KEYS.includes(key) && !/^key[0-9]{1,5}$/.test(key)) {
        findings.push({ code, severity: 'warning', message: `'${key}' is not a registered ${type} parameter; expected one of ${SVC_PARAM_KEYS.join(', ')}` });
      } else if (seen.has(key)) {
        findings.push({ code, message: `the ${type} parameter '${key}' is given twice` });
      }
      seen.add(key);
    }
    return findings;
  };
}

export function validateURI(value: string): Finding[] {
  const code = 'dns/uri-format' as const;
  const { tokens, error } = tokenizeValue(value);
  if (error) return [{ code, message: `the URI value's quoting is broken: ${error}` }];
  if (tokens.length !== 3)
    return [{ code, message: `the URI value has ${tokens.length} field${tokens.length === 1 ? '' : 's'}; expected 'priority weight "target"', e.g. '10 1 "https://example.com/"'` }];
  const findings: Finding[] = [];
  (['priority', 'weight'] as const).forEach((field, index) => {
    if (tokens[index]!.quoted || uint16(tokens[index]!.text) === undefined) findings.push({ code, message: `the URI ${field} '${tokens[index]!.text}' is not a whole number from 0 to 65535` });
  });
  const target = tokens[2]!;
  // The target is a character-string: quoted as zone files usually write it, or bare when it has no spaces.
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(target.text)) findings.push({ code, message: `the URI target "${target.text}" is not an absolute URI (scheme:rest)` });
  return findings;
}
