import type { Finding } from '../diagnostics/types.js';

/**
 * The syntax of a domain name's labels (RFC 1035 §2.3.4, RFC 1123 §2.1), apart
 * from the public suffix list: what a DDNS watcher checks of its names without
 * loading the list.
 */

export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

export interface LabelOptions {
  allowUnderscore: boolean;
  allowWildcard: boolean;
  /** Why underscores are refused, for the message. */
  underscoreContext: string;
}

/** Problems with the labels of an ASCII name without its trailing dot; codes are record-name codes. */
export function labelFindings(name: string, options: LabelOptions): Finding[] {
  const findings: Finding[] = [];
  if (name.length > MAX_NAME_LENGTH) {
    findings.push({ code: 'dns/name-too-long', message: `the name has ${name.length} characters; a domain name has at most ${MAX_NAME_LENGTH}` });
  }
  const labels = name.split('.');
  const seen = new Set<string>();
  const once = (finding: Finding) => {
    if (seen.has(finding.code)) return;
    seen.add(finding.code);
    findings.push(finding);
  };
  labels.forEach((label, index) => {
    if (label === '') {
      once({ code: 'dns/label-empty', message: index === 0 ? 'the name starts with a dot' : 'the name has an empty label (two dots in a row)' });
      return;
    }
    if (label.length > MAX_LABEL_LENGTH) {
      once({ code: 'dns/label-too-long', message: `label '${label.slice(0, 20)}…' has ${label.length} characters; a label has at most ${MAX_LABEL_LENGTH}` });
    }
    if (label.includes('*')) {
      if (!options.allowWildcard) once({ code: 'dns/wildcard-position', message: `'*' is not allowed here` });
      else if (label !== '*' || index !== 0) once({ code: 'dns/wildcard-position', message: `'*' must be the whole leftmost label (e.g. *.example.com), not part of '${label}'` });
      return;
    }
    if (label.includes('_')) {
      if (!options.allowUnderscore) {
        once({ code: 'dns/label-underscore', message: `label '${label}' contains '_', which ${options.underscoreContext}` });
        return;
      }
    }
    const bad = label.match(/[^A-Za-z0-9_-]/);
    if (bad) {
      once({ code: 'dns/label-invalid-character', message: `label '${label}' contains '${bad[0]}'; labels use letters, digits and hyphens only` });
      return;
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      once({ code: 'dns/label-hyphen', message: `label '${label}' ${label.startsWith('-') ? 'starts' : 'ends'} with a hyphen` });
    }
  });
  const tld = labels[labels.length - 1]!;
  if (labels.length > 1 && /^[0-9]+$/.test(tld)) {
    once({ code: 'dns/tld-numeric', message: `the top-level label '${tld}' is all digits, which no top-level domain is` });
  }
  return findings;
}
