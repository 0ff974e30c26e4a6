import type { Finding } from '../diagnostics/types.js';
import { closest, didYouMean } from '../util/suggest.js';

/**
 * The one declaration type of a property, whatever the syntax it is written
 * in: a Terraform argument (HCL), a Lagoon resource property of a Pulumi
 * program (YAML). Validation, completion, hover and the reference docs of
 * both read it; `checkLiteral` and `propertyDocs` are the shared services.
 */

/** `any`: an expression of any type (most arguments of Terraform's own blocks). */
export type ValueType = 'string' | 'number' | 'integer' | 'bool' | 'list' | 'map' | 'any';

/** How a property gets its value: from the configuration, or only from the provider. */
export type PropertyMode = 'required' | 'optional' | 'computed';

export interface PropertySchema {
  name: string;
  type: ValueType;
  mode: PropertyMode;
  description: string;
  /** The values accepted, in the order completion offers them. */
  enum?: readonly string[];
  /** Accepted values compare without regard to case (the provider normalises them). */
  enumIgnoresCase?: boolean;
  /** Changing the value destroys and re-creates the object. */
  replace?: boolean;
  /** The value is a credential: never written in plain text, never logged. */
  sensitive?: boolean;
  /** An example value for completion snippets and docs. */
  example?: string;
  /**
   * The property's own check of a literal text value. It replaces the
   * generic `enum` check when the domain has better words for a bad value (a
   * DNS record type in the wrong case).
   */
  check?: (value: string) => Finding[];
  /** For lists of objects: the fields of each item. */
  items?: readonly PropertySchema[];
  /** Largest number of items (lists). */
  maxItems?: number;
}

/** The strings cty converts to a number (no spaces, no hex, no Inf), and to a bool. */
const CTY_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const CTY_BOOLS = new Set(['true', 'false', '1', '0']);

/** What a literal is, for messages. */
export function describeLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why a literal does not have the property's type. `converts`: the syntax
 * converts primitives as Terraform does (HCL: "5" is a number, "true" a bool);
 * without it (Pulumi YAML) the value must already have the type.
 */
export function typeProblem(value: unknown, type: ValueType, converts: boolean): string | undefined {
  const expected = expectedType(value, type, converts);
  if (expected === undefined) return undefined;
  // Described only when wrong: most values have their type.
  const actual = isObject(value) || Array.isArray(value) || converts ? describeLiteral(value) : `${describeLiteral(value)} (${JSON.stringify(value)})`;
  return `must be ${expected}, not ${actual}`;
}

/** What a literal of the wrong type should have been, or undefined when it has the type. */
function expectedType(value: unknown, type: ValueType, converts: boolean): string | undefined {
  switch (type) {
    case 'any':
      return undefined;
    case 'string':
      if (converts) return Array.isArray(value) || isObject(value) ? 'a string' : undefined;
      return typeof value === 'string' ? undefined : 'a string';
    case 'number':
      return typeof value === 'number' || (converts && typeof value === 'string' && CTY_NUMBER.test(value)) ? undefined : 'a number';
    case 'integer':
      return (typeof value === 'number' && Number.isInteger(value)) || (converts && typeof value === 'string' && CTY_NUMBER.test(value) && Number.isInteger(Number(value)))
        ? undefined
        : 'a whole number';
    case 'bool':
      return typeof value === 'boolean' || (converts && typeof value === 'string' && CTY_BOOLS.has(value)) ? undefined : 'true or false';
    case 'list':
      return Array.isArray(value) ? undefined : 'a list';
    case 'map':
      return isObject(value) ? undefined : converts ? 'a map' : 'an object';
  }
}

/** The codes a syntax reports the shared checks with. */
export interface LiteralCodes {
  type: Finding['code'];
  value: Finding['code'];
}

/**
 * The checks of one literal against its property: the type, then the
 * property's own check or its accepted values. `what` names it in messages.
 */
export function checkLiteral(value: unknown, property: PropertySchema, codes: LiteralCodes, { converts, what }: { converts: boolean; what: string }): Finding[] {
  if (value === null || value === undefined) return [];
  const problem = typeProblem(value, property.type, converts);
  if (problem) return [{ code: codes.type, message: `${what} ${problem}` }];
  if (typeof value === 'object') {
    if (property.maxItems !== undefined && Array.isArray(value) && value.length > property.maxItems) {
      return [{ code: codes.value, message: `${what} has ${value.length} items; at most ${property.maxItems} are accepted` }];
    }
    return [];
  }
  const text = String(value);
  if (property.check) return property.check(text);
  if (!property.enum) return [];
  const accepted = property.enumIgnoresCase ? property.enum.some((option) => option.toLowerCase() === text.toLowerCase()) : property.enum.includes(text);
  if (accepted) return [];
  const sameButCase = property.enum.find((option) => option.toLowerCase() === text.toLowerCase());
  const suggestion = sameButCase ?? closest(text, property.enum);
  return [
    {
      code: codes.value,
      message: `${what}: '${text}' is not accepted; expected one of ${property.enum.join(', ')}${sameButCase ? `; did you mean '${sameButCase}'?` : didYouMean(text, property.enum)}`,
      ...(suggestion ? { replacement: suggestion, fixTitle: `Change to ${suggestion}` } : {}),
    },
  ];
}

/** Markdown documentation of a property, for hover and completion in any syntax. `owner` names what it belongs to. */
export function propertyDocs(property: PropertySchema, owner?: string, spelling: { name?: string; example?: (name: string, value: string) => string } = {}): string {
  const flags = [property.type === 'any' ? '' : property.type, property.mode, property.replace ? 'changing it replaces the resource' : '', property.sensitive ? 'sensitive' : '']
    .filter(Boolean)
    .join(' · ');
  const name = spelling.name ?? property.name;
  const values = property.enum ? `\n\nOne of: ${property.enum.map((value) => `\`${value}\``).join(', ')}` : '';
  const example = property.example ? `\n\nExample: \`${(spelling.example ?? ((key, value) => `${key} = "${value}"`))(name, property.example)}\`` : '';
  return `**${name}**${owner ? ` (${owner})` : ''} · ${flags}\n\n${property.description}${values}${example}`;
}
