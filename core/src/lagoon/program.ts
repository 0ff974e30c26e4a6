/**
 * The shape of a Pulumi YAML program (Pulumi.yaml / Main.yaml) as data: the
 * keys of the project file and of the YAML program, and the keys of one
 * resource. Validation (unknown keys, with suggestions), completion and hover
 * all read these tables. From Pulumi's project schema (sdk/go/common/workspace/
 * project.json) and the Pulumi YAML specification (pulumi/pulumi-yaml).
 */
export interface ProgramKey {
  name: string;
  description: string;
  /** The value is a mapping or list (completion starts it on the next line). */
  block?: boolean;
}

const key = (name: string, description: string, block = false): ProgramKey => ({ name, description, ...(block ? { block } : {}) });

export const PULUMI_PROGRAM_KEYS: readonly ProgramKey[] = [
  key('name', 'The project name: letters, digits, hyphens, underscores and periods.'),
  key('namespace', 'The namespace of a component package the program defines.'),
  key('version', 'The version of a component package the program defines.'),
  key('runtime', 'The language host that runs the program; `yaml` for a YAML program.'),
  key('description', 'What the project is for.'),
  key('resources', 'The resources of the program, by logical name: each has a `type` token and `properties`.', true),
  key('variables', 'Values computed once and used as `${name}` (function calls such as `fn::invoke`).', true),
  key('outputs', 'The stack outputs, by name: expressions such as `${project.id}`.', true),
  key('config', 'Configuration the stack reads, by key: a type and default, or a value.', true),
  key('configuration', 'The older name of `config`.', true),
  key('pulumi', 'Settings for the Pulumi engine, such as `requiredVersion`.', true),
  key('packages', 'Package versions (and parameterized packages) the program uses.', true),
  key('sdks', 'Packages to generate SDKs for, for component packages.', true),
  key('components', 'Components the program defines, for component packages.', true),
  key('main', 'Where the program is, relative to Pulumi.yaml (default: the same folder).'),
  key('stackConfigDir', 'The folder of the Pulumi.<stack>.yaml files, relative to Pulumi.yaml.'),
  key('backend', 'Where the state is kept (`url`).', true),
  key('options', 'Project options, such as `refresh: always`.', true),
  key('template', 'Template settings, when the project is a `pulumi new` template.', true),
  key('plugins', 'Local plugin overrides, for plugin development.', true),
  key('author', 'Who wrote the project.'),
  key('website', 'A web page about the project.'),
  key('license', 'The licence of the project.'),
];

export const PULUMI_RESOURCE_KEYS: readonly ProgramKey[] = [
  key('type', 'The type token of the resource, `package:module:Type` (e.g. `lagoon:lagoon:Project`).'),
  key('properties', 'The inputs of the resource.', true),
  key('options', 'Resource options: `dependsOn`, `protect`, `provider`, `ignoreChanges`, `import`, ...', true),
  key('get', 'Reads an existing resource by `id` (and `state`) instead of creating one.', true),
  key('name', 'The physical name of the resource, when it should not be generated from the logical name.'),
  key('defaultProvider', 'Whether this provider resource is the default for its package.'),
];
