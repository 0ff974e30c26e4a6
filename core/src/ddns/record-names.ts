import { domainToASCII } from 'node:url';
import { labelFindings } from '../dns/labels.js';

/**
 * A record as DDNS settings name it, `NAME[:A|AAAA]` (fully qualified, a
 * wildcard allowed): the name lower-cased without its trailing dot, or what
 * is wrong with it. Used by the watcher's configuration and by the editor's
 * set-up, which checks what is typed before anything is saved.
 */
export function parseRecordItem(item: string): { name: string; type: 'A' | 'AAAA' } | { problem: string } {
  const [name = '', type = 'A', extra] = item.trim().split(':');
  const normalised = name.toLowerCase().replace(/\.$/, '');
  if (extra !== undefined || !normalised.includes('.')) return { problem: `'${item}' is not a fully qualified name with an optional :A or :AAAA` };
  const ascii = /[^\x00-\x7f]/.test(normalised) ? domainToASCII(normalised) : normalised;
  if (ascii !== normalised)
    return { problem: `'${name}': ${ascii ? `an internationalised name; write it as DNS stores it, '${ascii}'` : 'has characters that are not valid in an internationalised domain name'}` };
  const label = labelFindings(normalised, { allowUnderscore: false, allowWildcard: true, underscoreContext: 'is not valid in the name of an address record' })[0];
  if (label) return { problem: `'${name}': ${label.message}` };
  if (type.toUpperCase() !== 'A' && type.toUpperCase() !== 'AAAA') return { problem: `'${item}' has type ${type}; only A and AAAA hold addresses` };
  return { name: normalised, type: type.toUpperCase() as 'A' | 'AAAA' };
}
