import { type Pair } from 'yaml';
import '../dns/rules.js';
import './rules.js';
import { diagnosticOf } from '../diagnostics/make.js';
import { compareDiagnostics, type Diagnostic, type Finding, type Range } from '../diagnostics/types.js';
import { didYouMean, suggest } from '../util/suggest.js';
import { findField, findPair, isAlias, isMap, isScalar, isSeq, keyOf, keyRange, nodeRange, pairs, parseYaml, toValue, type YamlDocument } from '../yaml/index.js';
import { isPlaceholder } from './formats.js';
import { PULUMI_PROGRAM_KEYS, PULUMI_RESOURCE_KEYS, type ProgramKey } from './program.js';
import { checkResources, DREAMHOST_RECORD, propertyWritten, type Dialect, type InputValue, type ResourceDeclaration, type ResourceKind } from './resource-checks.js';
import { pulumiDnsClass } from '../programs/dns-classes.js';
import { LAGOON_PROVIDER, LAGOON_RESOURCES, LAGOON_TOKEN_PREFIX, lagoonResource, type LagoonResource } from './schema.js';

/** The schema of a resource type a Pulumi YAML program names: a Lagoon resource, or a bridged provider's DNS record or zone class. */
export function pulumiYamlSchema(token: string): LagoonResource | undefined {
  return lagoonResource(token) ?? pulumiDnsClass(token);
}

/** Bridged DreamHost DNS records in Pulumi programs (Terraform provider bridge naming). */
export const DREAMHOST_PULUMI_TOKENS = ['dreamhost:index/dnsRecord:DnsRecord', 'dreamhost:index:DnsRecord'];

const PULUMI_BUILTINS = new Set(['pulumi']);
const INTERPOLATION = /\$\{([^}]*)\}/g;

interface DeclaredResource {
  name: string;
  token: string;
  schema?: LagoonResource;
  nameRange: Range;
}

/** How Pulumi YAML names properties and keeps secrets. */
export const YAML_DIALECT: Dialect = {
  spell: (name) => name,
  secretAdvice: "use fn::secret, or a config value set with 'pulumi config set --secret'",
  inputNoun: 'property',
};

class PulumiProgramAnalyzer {
  readonly diagnostics: Diagnostic[];
  private readonly declared = new Map<string, DeclaredResource>();
  private readonly otherNames = new Set<string>();
  /** The Lagoon and DreamHost resources of the program, as the shared checks see them. */
  readonly resources: ResourceDeclaration[] = [];

  constructor(private readonly doc: YamlDocument) {
    this.diagnostics = [...doc.diagnostics];
  }

  private report(range: Range, finding: Finding): void {
    this.diagnostics.push(diagnosticOf(range, finding));
  }

  run(): Diagnostic[] {
    const root = this.doc.document.contents;
    if (this.doc.diagnostics.length > 0 && !isMap(root)) return this.diagnostics;
    if (!isMap(root)) {
      if (root) this.report(nodeRange(this.doc, root), { code: 'pulumi/program-structure', message: 'a Pulumi YAML program is a mapping with name, runtime and resources' });
      return this.diagnostics;
    }
    this.checkKeys(root, PULUMI_PROGRAM_KEYS, 'at the top of a Pulumi YAML program');
    for (const section of ['variables', 'config', 'configuration']) for (const pair of pairs(findField(root, section)?.value)) this.otherNames.add(keyOf(pair));
    for (const section of ['config', 'configuration']) for (const pair of pairs(findField(root, section)?.value)) this.checkProviderSecret(pair);
    // Only the YAML runtime runs what the file declares; for a Python or Node.js project it is the project file alone.
    const runtime = findField(root, 'runtime')?.value;
    const runtimeName = isScalar(runtime) ? String(runtime.value) : isMap(runtime) ? String((findField(runtime, 'name')?.value as { value?: unknown } | undefined)?.value ?? '') : 'yaml';
    if (runtimeName !== 'yaml') return this.diagnostics.sort(compareDiagnostics);
    const resources = findField(root, 'resources');
    if (resources && !isMap(resources.value) && resources.value !== null) {
      this.report(nodeRange(this.doc, resources.value as never), { code: 'pulumi/program-structure', message: 'resources is a mapping from resource names to { type, properties }' });
      return this.diagnostics;
    }
    const entries = pairs(resources?.value);
    for (const pair of entries) this.declare(pair);
    for (const pair of entries) this.checkResource(pair);
    // Expressions are evaluated in these sections only (`name: ${PROJECT}` is a `pulumi new` template placeholder).
    for (const section of ['resources', 'variables', 'outputs']) this.checkInterpolations(findField(root, section)?.value);
    this.diagnostics.push(...checkResources(this.resources, YAML_DIALECT).map((found) => found.diagnostic));
    return this.diagnostics.sort(compareDiagnostics);
  }

  private declare(pair: Pair): void {
    const type = findField(pair.value, 'type');
    const token = isScalar(type?.value) ? String(type!.value.value) : '';
    this.declared.set(keyOf(pair), {
      name: keyOf(pair),
      token,
      ...(pulumiYamlSchema(token) ? { schema: pulumiYamlSchema(token)! } : {}),
      nameRange: keyRange(this.doc, pair),
    });
  }

  private valueOf(node: unknown): InputValue {
    if (isAlias(node)) {
      const value = toValue(this.doc, node);
      return value === undefined ? { kind: 'unknown' } : { kind: 'literal', value };
    }
    if (isMap(node)) {
      const [first] = pairs(node);
      if (pairs(node).length === 1 && first && keyOf(first).startsWith('fn::')) return keyOf(first) === 'fn::secret' ? { kind: 'secret' } : { kind: 'unknown' };
      const value = toValue(this.doc, node);
      return value === undefined ? { kind: 'unknown' } : { kind: 'literal', value };
    }
    if (isSeq(node)) {
      const value = toValue(this.doc, node);
      return value === undefined ? { kind: 'unknown' } : { kind: 'literal', value };
    }
    if (isScalar(node)) {
      if (typeof node.value === 'string' && /\$\{[^}]*\}/.test(node.value.replace(/\$\$\{/g, ''))) return { kind: 'unknown' };
      return { kind: 'literal', value: node.value };
    }
    return { kind: 'literal', value: null };
  }

  /** The Lagoon provider's credentials (`lagoon:token`, `lagoon:jwtSecret`) must not be set in plain text in the program. */
  private checkProviderSecret(pair: Pair): void {
    const key = keyOf(pair);
    if (key !== 'lagoon:token' && key !== 'lagoon:jwtSecret') return;
    const node = isMap(pair.value) ? findPair(pair.value, 'value')?.value : pair.value;
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '' || isPlaceholder(node.value)) return;
    this.report(nodeRange(this.doc, node as never), {
      code: 'lagoon/secret-in-plain-text',
      message: `${key} is the Lagoon provider's credential in plain text; set it with 'pulumi config set --secret ${key}' (or LAGOON_TOKEN in the environment) and rotate it if this file was shared`,
    });
  }

  /** Keys of a mapping that the program's shape does not have (often a misspelling): a warning with a suggestion. */
  private checkKeys(map: unknown, keys: readonly ProgramKey[], where: string): void {
    const names = keys.map((candidate) => candidate.name);
    for (const pair of pairs(map)) {
      const name = keyOf(pair);
      if (names.includes(name)) continue;
      // Pulumi YAML matches these keys without regard to case (and warns): say how to write it.
      const sameButCase = names.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
      if (sameButCase) {
        this.report(keyRange(this.doc, pair), {
          code: 'pulumi/unknown-key',
          message: `Pulumi reads '${name}' as '${sameButCase}' but warns about the case; write '${sameButCase}'`,
          replacement: sameButCase,
          fixTitle: `Change to ${sameButCase}`,
        });
        continue;
      }
      const { hint, fix } = suggest(name, names);
      this.report(keyRange(this.doc, pair), { code: 'pulumi/unknown-key', message: `'${name}' is not a key ${where}${hint}`, ...fix });
    }
  }

  private checkResource(pair: Pair): void {
    const resource = this.declared.get(keyOf(pair))!;
    if (isMap(pair.value)) this.checkKeys(pair.value, PULUMI_RESOURCE_KEYS, `of resource '${resource.name}'`);
    const typePair = findField(pair.value, 'type');
    if (!typePair) {
      this.report(resource.nameRange, { code: 'pulumi/program-structure', message: `resource '${resource.name}' has no type` });
      return;
    }
    const typeRange = nodeRange(this.doc, typePair.value as never);
    const kind: ResourceKind | undefined = DREAMHOST_PULUMI_TOKENS.includes(resource.token)
      ? 'dreamhost-record'
      : resource.schema?.record
        ? 'dns-record'
        : resource.schema?.zone
          ? 'dns-zone'
          : resource.token === LAGOON_PROVIDER.token
            ? 'lagoon-provider'
            : resource.schema
              ? 'lagoon'
              : undefined;
    if (!kind) {
      if (!resource.token.startsWith(LAGOON_TOKEN_PREFIX) && !resource.token.startsWith('lagoon:')) return;
      const known = LAGOON_RESOURCES.map((candidate) => candidate.token);
      const { hint, fix } = suggest(resource.token, known);
      this.report(typeRange, {
        code: 'lagoon/unknown-resource-type',
        message: `'${resource.token}' is not a Lagoon resource type${hint}; the types are ${LAGOON_TOKEN_PREFIX}{${LAGOON_RESOURCES.map((r) => r.name).join(', ')}}`,
        ...fix,
      });
      return;
    }
    const schema = kind === 'lagoon-provider' ? LAGOON_PROVIDER : kind === 'dreamhost-record' ? DREAMHOST_RECORD : resource.schema!;
    this.resources.push({
      label: resource.name,
      variable: resource.name,
      kind,
      schema,
      nameRange: resource.nameRange,
      reads: findField(pair.value, 'get') !== undefined,
      inputs: pairs(findField(pair.value, 'properties')?.value).map((property) => {
        const written = keyOf(property);
        const found = propertyWritten(schema, written, YAML_DIALECT);
        return {
          written,
          ...(found ? { property: found } : {}),
          keyRange: keyRange(this.doc, property),
          valueRange: nodeRange(this.doc, property.value as never),
          value: this.valueOf(property.value),
          text: String(isScalar(property.value) ? property.value.value : ''),
          ...(found?.items
            ? {
                itemKey: (index: number, key: string) => {
                  const item = isSeq(property.value) ? property.value.items[index] : undefined;
                  const pair = pairs(item).find((candidate) => keyOf(candidate) === key);
                  return pair ? { range: keyRange(this.doc, pair), isName: true } : undefined;
                },
              }
            : {}),
        };
      }),
    });
  }

  /** Every `${name.path}` must name a declared resource, variable or config value; outputs must exist. */
  private checkInterpolations(root: unknown): void {
    const visit = (node: unknown) => {
      if (isMap(node)) for (const pair of node.items) visit(pair.value);
      else if (isSeq(node)) for (const item of node.items) visit(item);
      else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
        for (const match of node.value.replace(/\$\$\{/g, '').matchAll(INTERPOLATION)) {
          const expression = match[1]!.trim();
          const [rootName, property] = expression.split(/[.[]/);
          if (!rootName || PULUMI_BUILTINS.has(rootName)) continue;
          const range = nodeRange(this.doc, node as never);
          const resource = this.declared.get(rootName);
          if (!resource && !this.otherNames.has(rootName)) {
            this.report(range, {
              code: 'lagoon/unknown-reference',
              message: `\${${expression}} refers to '${rootName}', which is not a resource, variable or config value of this program${didYouMean(rootName, [...this.declared.keys(), ...this.otherNames])}`,
            });
          } else if (
            resource?.schema &&
            !resource.schema.zone &&
            property &&
            !['id', 'urn'].includes(property) &&
            !resource.schema.outputs.includes(property) &&
            !resource.schema.properties.some((p) => p.name === property)
          ) {
            this.report(range, {
              code: 'lagoon/unknown-output',
              message: `\${${expression}}: ${resource.schema.token} has no '${property}'; it has ${[...resource.schema.outputs, ...resource.schema.properties.map((p) => p.name)].join(', ')}${didYouMean(property, [...resource.schema.outputs, ...resource.schema.properties.map((p) => p.name)])}`,
            });
          }
        }
      }
    };
    visit(root);
  }
}

/** Analyses a Pulumi YAML program (Pulumi.yaml or Main.yaml): Lagoon resources and bridged DreamHost records. */
export function analyzePulumiProgram(text: string, source = ''): Diagnostic[] {
  return new PulumiProgramAnalyzer(parseYaml(text, source)).run();
}

/** The Lagoon and DreamHost resources a Pulumi YAML program declares (for checks that need live data). */
export function pulumiYamlDeclarations(text: string, source = ''): ResourceDeclaration[] {
  const analyzer = new PulumiProgramAnalyzer(parseYaml(text, source));
  analyzer.run();
  return analyzer.resources;
}
