import type { Finding } from '../diagnostics/types.js';
import { validateTargetHost } from '../dns/names.js';
import type { LagoonFormat } from './schema.js';

const PROJECT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SSH_GIT = /^(ssh:\/\/)?[\w.-]+@[\w.-]+(:\d+)?[:/][\w./~-]+?(\.git)?\/?$/;
const HTTPS_GIT = /^https?:\/\/[\w.-]+(:\d+)?\/[\w./~-]+?(\.git)?\/?$/;

/** Checks a value against its format; `what` names the property in messages. */
export function checkFormat(format: LagoonFormat, value: string, what: string): Finding[] {
  const bad = (message: string): Finding[] => [{ code: 'lagoon/invalid-value', message: `${what}: ${message}` }];
  switch (format) {
    case 'project-name':
      if (value.length > 58) return bad(`'${value}' is ${value.length} characters; Lagoon project names have at most 58, so namespace names stay under 63`);
      return PROJECT_NAME.test(value) ? [] : bad(`'${value}' is not a valid project name: lower-case letters, digits and hyphens, starting and ending with a letter or digit`);
    case 'environment-name':
      return /^[^\s~^:?*[\\]+$/.test(value) && !value.includes('..') ? [] : bad(`'${value}' is not a valid branch or environment name (no spaces, ~ ^ : ? * [ \\ or ..)`);
    case 'git-url':
      return SSH_GIT.test(value) || HTTPS_GIT.test(value) ? [] : bad(`'${value}' is not a Git URL; expected git@host:org/repo.git or https://host/org/repo.git`);
    case 'regex':
      if (value === 'true' || value === 'false') return [];
      try {
        new RegExp(value);
        return [];
      } catch (error) {
        return bad(`'${value}' is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
      }
    case 'email':
      return EMAIL.test(value) ? [] : bad(`'${value}' is not an e-mail address`);
    case 'https-url':
      if (/^http:\/\//i.test(value)) return bad('the webhook URL uses http://; webhooks carry tokens and must use https://');
      return /^https:\/\/[^\s/]+(\/\S*)?$/i.test(value) ? [] : bad(`'${value}' is not an https:// URL`);
    case 'url':
      return /^https?:\/\/[^\s/]+(\/\S*)?$/i.test(value) ? [] : bad(`'${value}' is not an http(s):// URL`);
    case 'domain':
      return validateTargetHost(value, { type: 'route', role: 'domain' }).map((finding) => ({ ...finding, message: `${what}: ${finding.message}` }));
    case 'variable-name':
      return VARIABLE_NAME.test(value) ? [] : bad(`'${value}' is not a valid variable name: letters, digits and underscores, not starting with a digit`);
    case 'group-name':
      return value.trim() === value && value !== '' ? [] : bad('a group name must not be empty or have leading or trailing spaces');
  }
}

/** Names of values that are usually credentials. */
const SECRET_NAME = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth|salt|jwt|dsn|access[_-]?key)/i;
/** Values that carry their own evidence of being credentials (key blocks, vendor token prefixes, passwords in URLs). */
const SECRET_VALUE = [/^-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/, /^(sk|pk|rk)_(live|test)_/, /^gh[pousr]_[A-Za-z0-9]{20,}/, /^xox[abprs]-/, /^AKIA[0-9A-Z]{16}$/, /:\/\/[^/\s:@]+:[^/\s@]+@/];

/**
 * Whether a plain-text value is likely a credential: by its name, or by the
 * value itself (a known token shape, or a long run of letters and digits with
 * no spaces or URL punctuation). `https://api.example.com` is not.
 */
export function looksLikeSecret(name: string | undefined, value: string): boolean {
  if (name !== undefined && SECRET_NAME.test(name)) return true;
  if (SECRET_VALUE.some((pattern) => pattern.test(value))) return true;
  return value.length >= 24 && /[A-Za-z]/.test(value) && /\d/.test(value) && !/[\s/:.@]/.test(value);
}

/**
 * Values that are placeholders, not credentials: URLs on the domains kept for
 * documentation (RFC 2606: example.com/.net/.org, .example, .test, .invalid),
 * and values whose parts are the usual stand-ins (XXXXX, <token>, your-..., changeme).
 */
export function isPlaceholder(value: string): boolean {
  const host = value.match(/^[a-z][a-z0-9+.-]*:\/\/(?:[^/@\s]*@)?([^/:?#\s]+)/i)?.[1]?.toLowerCase();
  if (host && /(^|\.)(example\.(com|net|org)|example|test|invalid)$/.test(host)) return true;
  return value.split(/[/:?#&=@]/).some((part) => /^(x{3,}|y{3,}|z{3,}|\.{3}|<[^>]*>|\{\{[^}]*\}\}|your[-_ ]\S*|changeme|change[-_]me|placeholder\S*|redacted)$/i.test(part));
}
