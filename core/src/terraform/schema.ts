import type { Finding } from '../diagnostics/types.js';
import type { PropertyMode, PropertySchema, ValueType } from '../schema/index.js';
import type { DnsRecordSchema } from './providers/dns-records.js';

/** Terraform arguments are properties of the one schema model (core/src/schema). */
export type AttributeType = ValueType;
export type AttributeMode = PropertyMode;
export type AttributeSchema = PropertySchema;

/** A finding on one attribute of a block (the analyzer places it on that attribute's value). */
export interface AttributeFinding extends Finding {
  attribute: string;
}

/** Literal string values of a block's attributes (undefined: unset or not a literal). */
export type BlockValues = Readonly<Record<string, string | undefined>>;

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
  /** The resource declares DNS records: how they map onto the DNS core and the zone rules. */
  dns?: DnsRecordSchema;
  /** A documentation link for hover. */
  docs?: string;
}

export interface ProviderSchema extends BlockSchema {
  /** Local name, also the prefix of its resource types. */
  name: string;
  /** The registry source address users should declare. */
  source: string;
  /**
   * Every resource and data source of the provider at that source is declared
   * here (checked against its code), so another type of its prefix does not exist.
   */
  complete?: boolean;
  resources: readonly ResourceSchema[];
}
