import type { Finding } from '../diagnostics/types.js';

/** `any`: an expression of any type (most arguments of Terraform's own blocks). */
export type AttributeType = 'string' | 'number' | 'bool' | 'list' | 'map' | 'any';

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
  /**
   * The attribute's own check of a literal value. It replaces the generic
   * `enum` check when the attribute's domain has better words for a bad value
   * (a DNS record type in the wrong case).
   */
  check?: (value: string) => Finding[];
}

export interface BlockSchema {
  description: string;
  attributes: readonly AttributeSchema[];
  blocks?: readonly NestedBlockSchema[];
  /** Checks that need the literal values of several attributes. */
  validate?: (values: BlockValues) => AttributeFinding[];
  /** Arguments beyond `attributes` are allowed and not judged (module inputs, provider settings Shoreline does not know). */
  openAttributes?: boolean;
  /** Nested blocks beyond `blocks` are allowed and not judged. */
  openBlocks?: boolean;
}

export interface NestedBlockSchema extends BlockSchema {
  name: string;
  minItems?: number;
  maxItems?: number;
  /** The names of the block's labels (`resource` has `type` and `name`); no labels when absent. */
  labels?: readonly string[];
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
