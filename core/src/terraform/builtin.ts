import type { AttributeSchema, AttributeType, BlockSchema, NestedBlockSchema } from './schema.js';

/**
 * Terraform's own blocks as schema data: the block types of a `.tf` file,
 * their labels, the arguments and nested blocks Terraform decodes from each
 * (internal/configs of hashicorp/terraform: configFileSchema,
 * variableBlockSchema, ResourceBlockSchema, ...). Validation, completion,
 * hover and docs/reference/terraform-language.md all read this one table.
 *
 * `openAttributes`: Terraform reads only part of the body and passes the rest
 * on (provider arguments, module inputs, backend settings), so other names
 * are not Shoreline's to judge.
 */

const arg = (name: string, description: string, type: AttributeType = 'any', mode: AttributeSchema['mode'] = 'optional'): AttributeSchema => ({ name, type, mode, description });
const required = (name: string, description: string, type: AttributeType = 'any') => arg(name, description, type, 'required');

/** Terraform's own blocks, as opposed to the nested blocks of a provider's schema. */
const BUILTIN_BLOCKS = new WeakSet<BlockSchema>();
const block = (name: string, description: string, content: Partial<NestedBlockSchema> = {}): NestedBlockSchema => {
  const schema: NestedBlockSchema = { name, description, attributes: [], ...content };
  BUILTIN_BLOCKS.add(schema);
  return schema;
};

const condition = (name: string, description: string) =>
  block(name, description, {
    attributes: [
      required('condition', 'An expression that must be true; it can refer to the object it guards (`self`).', 'bool'),
      required('error_message', 'The message shown when the condition is false.', 'string'),
    ],
  });

const precondition = condition('precondition', 'A condition checked before the object is planned; a false condition stops the plan with its error message.');
const postcondition = condition('postcondition', 'A condition checked after the object is planned or applied; a false condition stops with its error message.');

/** The meta-arguments every resource, data source and ephemeral resource takes. */
const RESOURCE_META: AttributeSchema[] = [
  arg('count', 'Creates this many instances; each refers to its position as `count.index`.', 'number'),
  arg('for_each', 'Creates one instance per element of a map or set of strings; each refers to `each.key` and `each.value`.'),
  arg('provider', 'The provider configuration to use, as `NAME.ALIAS`, instead of the default one.'),
  arg('depends_on', 'Objects this one depends on that Terraform cannot see from references.', 'list'),
];

const connection = block('connection', 'How provisioners reach the created object (SSH or WinRM settings).', { openAttributes: true });

const provisioner = block('provisioner', 'A command run on the created (or destroyed) object; its settings depend on the provisioner type.', {
  labels: ['type'],
  openAttributes: true,
  attributes: [arg('when', '`create` (the default) or `destroy`: when the provisioner runs.'), arg('on_failure', '`fail` (the default) or `continue`: what a failed provisioner does to the apply.')],
  blocks: [connection],
});

const lifecycle = block('lifecycle', 'How Terraform creates, replaces and destroys the object.', {
  maxItems: 1,
  attributes: [
    arg('create_before_destroy', 'Create the replacement before destroying the current object.', 'bool'),
    arg('prevent_destroy', 'Refuse any plan that would destroy the object.', 'bool'),
    arg('ignore_changes', 'Attributes whose changes outside Terraform are ignored (`all` for every one).', 'list'),
    arg('replace_triggered_by', 'References whose changes replace this object.', 'list'),
    arg('destroy', 'Whether `terraform destroy` (and removal from the configuration) destroys the object.', 'bool'),
  ],
  blocks: [
    precondition,
    postcondition,
    block('action_trigger', 'Runs actions when the object reaches a lifecycle event.', {
      attributes: [
        required('events', 'The lifecycle events that run the actions (`before_create`, `after_update`, ...).', 'list'),
        arg('condition', 'Runs the actions only while this is true.', 'bool'),
        required('actions', 'The actions to run, as references to `action` blocks.', 'list'),
        arg('on_failure', 'What a failed action does to the apply.'),
      ],
    }),
  ],
});

/** Terraform expands `dynamic "NAME" { for_each ... content { ... } }` into NAME blocks of a resource or provider. */
export const DYNAMIC_BLOCK: NestedBlockSchema = block('dynamic', 'Generates nested blocks of the type its label names, one per element of `for_each`.', {
  labels: ['type'],
  attributes: [
    required('for_each', 'The collection to generate one block for each element of.'),
    arg('iterator', 'The name of the temporary variable for the element (default: the block type).'),
    arg('labels', 'The labels of each generated block.', 'list'),
  ],
  blocks: [block('content', 'The body of each generated block.', { minItems: 1, maxItems: 1, openAttributes: true, openBlocks: true })],
});

const resourceBody = (name: string, labels: string[], description: string, blocks: NestedBlockSchema[]): NestedBlockSchema =>
  block(name, description, { labels, attributes: RESOURCE_META, blocks: [...blocks, DYNAMIC_BLOCK], openAttributes: true, openBlocks: true });

export const RESOURCE_BLOCK = resourceBody('resource', ['type', 'name'], 'An infrastructure object the provider creates and manages.', [lifecycle, connection, provisioner]);
export const DATA_BLOCK = resourceBody('data', ['type', 'name'], 'Reads an existing object through a provider.', [
  block('lifecycle', lifecycle.description, { maxItems: 1, blocks: [precondition, postcondition] }),
]);
const EPHEMERAL_BLOCK = resourceBody('ephemeral', ['type', 'name'], 'An object that exists only during one Terraform run and is never stored in state or plan files.', [
  block('lifecycle', lifecycle.description, { maxItems: 1, blocks: [precondition, postcondition] }),
]);

export const PROVIDER_BLOCK = block('provider', 'Configures a provider: credentials, region and other settings; `alias` names an additional configuration.', {
  labels: ['name'],
  attributes: [arg('alias', 'A name for this additional configuration, referred to as `NAME.ALIAS`.', 'string'), arg('version', 'Deprecated here: set the version in `required_providers`.', 'string')],
  blocks: [DYNAMIC_BLOCK],
  openAttributes: true,
  openBlocks: true,
});

export const TERRAFORM_BLOCK = block('terraform', 'Settings of the module itself: the Terraform versions it works with, the providers it needs, where state is kept.', {
  attributes: [
    arg('required_version', 'The Terraform versions this module works with, as a version constraint.', 'string'),
    arg('experiments', 'Opt-in language experiments of this Terraform version.', 'list'),
    arg('language', 'The language edition (`TF2021`).'),
  ],
  blocks: [
    block('required_providers', 'The providers the module needs: a local name for each, with its source address and version constraint.', { openAttributes: true }),
    block('backend', 'Where the state of this configuration is stored; the label names the backend type (`s3`, `gcs`, `local`, ...).', {
      labels: ['type'],
      maxItems: 1,
      openAttributes: true,
      openBlocks: true,
    }),
    block('cloud', 'Connects the configuration to HCP Terraform or Terraform Enterprise.', { maxItems: 1, openAttributes: true, openBlocks: true }),
    block('state_store', 'A provider-implemented store for the state (the label names it).', { labels: ['type'], maxItems: 1, openAttributes: true, openBlocks: true }),
    block('provider_meta', 'Module-specific data passed to a provider.', { labels: ['provider'], openAttributes: true }),
  ],
});

const VARIABLE_BLOCK = block('variable', 'An input of the module, set by the caller, a variables file or `-var`.', {
  labels: ['name'],
  attributes: [
    arg('description', 'What the variable is for, shown in documentation and prompts.', 'string'),
    arg('default', 'The value when none is given; without it the variable is required.'),
    arg('type', 'The type the value must convert to (`string`, `number`, `bool`, `list(...)`, `map(...)`, `object({...})`, `any`).'),
    arg('sensitive', 'Hide the value in plan and apply output.', 'bool'),
    arg('ephemeral', 'The value is available only during a run and never stored.', 'bool'),
    arg('nullable', 'Whether null is an acceptable value (default true).', 'bool'),
    arg('deprecated', 'A message shown to callers that still set the variable.', 'string'),
    arg('const', 'The value must be known when the configuration is loaded.', 'bool'),
  ],
  blocks: [condition('validation', 'A rule the value must follow; its error message is shown when it does not.')],
});

const OUTPUT_BLOCK = block('output', 'A value the module returns to its caller (or prints, in the root module).', {
  labels: ['name'],
  attributes: [
    required('value', 'The value to return.'),
    arg('description', 'What the value is, for documentation.', 'string'),
    arg('sensitive', 'Hide the value in output.', 'bool'),
    arg('ephemeral', 'The value is passed on during a run but never stored.', 'bool'),
    arg('depends_on', 'Dependencies Terraform cannot see from the value.', 'list'),
    arg('deprecated', 'A message shown to callers that use the output.', 'string'),
    arg('type', 'The type the value must convert to.'),
  ],
  blocks: [precondition, postcondition],
});

const MODULE_BLOCK = block('module', 'Calls another module; other arguments are the called module’s input variables.', {
  labels: ['name'],
  attributes: [
    required('source', 'Where the module comes from: a local path, a registry address or a URL.', 'string'),
    arg('version', 'A version constraint, for registry modules.', 'string'),
    arg('count', 'Calls the module this many times.', 'number'),
    arg('for_each', 'Calls the module once per element of a map or set of strings.'),
    arg('depends_on', 'Dependencies Terraform cannot see from references.', 'list'),
    arg('providers', 'Which provider configurations the module gets, by its local names.', 'map'),
    arg('ignore_nested_deprecations', 'Do not report deprecations inside the called module.', 'bool'),
  ],
  openAttributes: true,
});

const IMPORT_BLOCK = block('import', 'Brings an existing object under Terraform management at the next apply.', {
  attributes: [
    required('to', 'The address of the resource to import into.'),
    arg('id', "The provider's ID of the existing object.", 'string'),
    arg('identity', 'The resource identity of the existing object, for providers that support it (instead of `id`).', 'map'),
    arg('provider', 'The provider configuration to import with.'),
    arg('for_each', 'Imports one object per element.'),
  ],
});

const MOVED_BLOCK = block('moved', 'Records that an object now has another address, so Terraform moves it instead of replacing it.', {
  attributes: [required('from', 'The old address.'), required('to', 'The new address.')],
});

const REMOVED_BLOCK = block('removed', 'Removes an object from the configuration, destroying it or only forgetting it.', {
  attributes: [required('from', 'The address that is removed.')],
  blocks: [block('lifecycle', 'Whether the object is destroyed.', { maxItems: 1, attributes: [arg('destroy', 'false: forget the object without destroying it.', 'bool')] }), connection, provisioner],
});

const CHECK_BLOCK = block('check', 'Assertions about the infrastructure checked on every plan and apply; a failure is a warning, not an error.', {
  labels: ['name'],
  blocks: [
    block('data', 'A data source read only for this check.', { labels: ['type', 'name'], openAttributes: true, openBlocks: true, maxItems: 1 }),
    condition('assert', 'A condition that should hold; its error message is shown as a warning when it does not.'),
  ],
});

const ACTION_BLOCK = block('action', 'An operation a provider performs on demand or when a resource reaches a lifecycle event.', {
  labels: ['type', 'name'],
  attributes: RESOURCE_META.filter((meta) => meta.name !== 'depends_on'),
  blocks: [block('config', 'The settings of the action, from its provider.', { maxItems: 1, openAttributes: true, openBlocks: true })],
});

const LOCALS_BLOCK = block('locals', 'Named values computed once and used as `local.NAME`.', { openAttributes: true });

/** The blocks of a `.tf` file, in the order completion offers them. */
export const TERRAFORM_FILE_BLOCKS: readonly NestedBlockSchema[] = [
  RESOURCE_BLOCK,
  DATA_BLOCK,
  TERRAFORM_BLOCK,
  PROVIDER_BLOCK,
  VARIABLE_BLOCK,
  OUTPUT_BLOCK,
  LOCALS_BLOCK,
  MODULE_BLOCK,
  IMPORT_BLOCK,
  MOVED_BLOCK,
  REMOVED_BLOCK,
  CHECK_BLOCK,
  EPHEMERAL_BLOCK,
  ACTION_BLOCK,
];

const BY_NAME = new Map(TERRAFORM_FILE_BLOCKS.map((schema) => [schema.name, schema]));

/** The schema of a top-level block type, if Terraform has one. */
export function builtinBlock(type: string): NestedBlockSchema | undefined {
  return BY_NAME.get(type);
}

/** The meta-arguments and meta-blocks of resources (count, for_each, provider, depends_on; lifecycle, ...), from the table. */
export const RESOURCE_META_ARGUMENTS: readonly string[] = RESOURCE_BLOCK.attributes.map((attr) => attr.name);
export const RESOURCE_META_BLOCKS: readonly string[] = (RESOURCE_BLOCK.blocks ?? []).map((nested) => nested.name);
export const DATA_META_BLOCKS: readonly string[] = (DATA_BLOCK.blocks ?? []).map((nested) => nested.name);

const layeredSchemas = new WeakMap<BlockSchema, WeakMap<BlockSchema, BlockSchema>>();

/**
 * Terraform's own part of a block (meta-arguments, lifecycle, dynamic) with
 * the provider's schema on top; without a provider schema the rest of the body
 * is the provider's business and stays open.
 */
export function layered(builtin: NestedBlockSchema, provider: BlockSchema | undefined): BlockSchema {
  if (!provider) return builtin;
  let byProvider = layeredSchemas.get(builtin);
  if (!byProvider) layeredSchemas.set(builtin, (byProvider = new WeakMap()));
  let schema = byProvider.get(provider);
  if (!schema) {
    schema = {
      ...provider,
      attributes: [...builtin.attributes, ...provider.attributes],
      blocks: [...(builtin.blocks ?? []), ...(provider.blocks ?? [])],
      // A provider schema that does not know every setting (the aws provider block's assume_role, default_tags...) stays open.
      openAttributes: provider.openAttributes ?? false,
      openBlocks: provider.openBlocks ?? false,
    };
    byProvider.set(provider, schema);
  }
  return schema;
}

/**
 * Whether `dynamic` blocks may stand in a body of this schema: where
 * Terraform's own schema lists them (resource, data and provider bodies), and
 * in any nested block of a provider's schema that has nested blocks of its
 * own, at any depth (the dynamic block extension expands them there too,
 * `content` included).
 */
export function acceptsDynamic(schema: BlockSchema): boolean {
  if ((schema.blocks ?? []).includes(DYNAMIC_BLOCK)) return true;
  return !BUILTIN_BLOCKS.has(schema) && ((schema.blocks?.length ?? 0) > 0 || !!schema.openBlocks);
}

/** Terraform's own nested blocks, which a `dynamic` block cannot generate. */
const META_BLOCK_NAMES = new Set(['lifecycle', 'connection', 'provisioner', 'dynamic', 'locals', '_']);

/** The nested block types of a (layered) schema that `dynamic` blocks can generate: the provider's. */
export function generatableBlocks(schema: BlockSchema): string[] {
  return (schema.blocks ?? []).filter((nested) => !META_BLOCK_NAMES.has(nested.name)).map((nested) => nested.name);
}
