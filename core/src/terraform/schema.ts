import type { Finding } from '../diagnostics/types.js';

export type AttributeType = 'string' | 'number' | 'bool' | 'list' | 'map';

/** How an attribute gets its value: from the configuration, or only from the provider. */
export type AttributeMode = 'required' | 'optional' | 'computed';

/** A finding on one attribute of a block (the analyzer places it on that attribute's value). */
export interface AttributeFinding extends Finding {
  attribute: string;
}

/** Literal string values of a block's attributes (undefined: unset or not a literal). */
export type BlockValues = Readonly<Record<string, string | undefined>>;

export interface AttributeSchema {
  name: string;
  type: AttributeType;
  mode: AttributeMode;
  description: string;
  /** The values accepted, in the order completion offers them. */
  enum?: readonly string[];
  /** Changing the value destroys and re-creates the object. */
  forceNew?: boolean;
  /** The value is a credential: never written in plain text, never logged. */
  sensitive?: boolean;
  /** An example value for completion snippets and docs. */
  example?: string;
}

export interface BlockSchema {
  description: string;
  attributes: readonly AttributeSchema[];
  blocks?: readonly NestedBlockSchema[];
  /** Checks that need the literal values of several attributes. */
  validate?: (values: BlockValues) => AttributeFinding[];
}

export interface NestedBlockSchema extends BlockSchema {
  name: string;
  minItems?: number;
  maxItems?: number;
}

export interface ImportIdFormat {
  /** e.g. `TYPE|RECORD|VALUE` */
  format: string;
  /** Problems with an import ID, given as literal text. */
  validate: (id: string) => Finding[];
  /** The ID that imports the object a block declares, when its values are known. */
  fromValues: (values: BlockValues) => string | undefined;
}

export interface ResourceSchema extends BlockSchema {
  kind: 'resource' | 'data';
  /** e.g. `dreamhost_dns_record` */
  type: string;
  /** Provider local name, e.g. `dreamhost`. */
  provider: string;
  importId?: ImportIdFormat;
  /** A documentation link for hover. */
  docs?: string;
}

export interface ProviderSchema extends BlockSchema {
  /** Local name, also the prefix of its resource types. */
  name: string;
  /** The registry source address users should declare. */
  source: string;
  resources: readonly ResourceSchema[];
}

export const RESOURCE_META_ARGUMENTS = ['count', 'for_each', 'provider', 'depends_on'] as const;
export const RESOURCE_META_BLOCKS = ['lifecycle', 'provisioner', 'connection'] as const;
export const DATA_META_BLOCKS = ['lifecycle'] as const;
