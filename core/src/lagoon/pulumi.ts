import { type Pair } from 'yaml';
import '../dns/rules.js';
import './rules.js';
import { diagnosticOf } from '../diagnostics/make.js';
import { compareDiagnostics, type Diagnostic, type Finding, type Range } from '../diagnostics/types.js';
import { dreamhostRecordResource } from '../terraform/providers/dreamhost.js';
import { closest, didYouMean } from '../util/suggest.js';
import { findField, findPair, isAlias, isMap, isScalar, isSeq, keyOf, keyRange, nodeRange, pairs, parseYaml, toValue, type YamlDocument } from '../yaml/index.js';
import { checkLiteral, type LiteralCodes } from '../schema/index.js';
import { checkFormat, looksLikeSecret } from './formats.js';
import { PULUMI_PROGRAM_KEYS, PULUMI_RESOURCE_KEYS, type ProgramKey } from './program.js';
import { LAGOON_RESOURCES, LAGOON_TOKEN_PREFIX, lagoonResource, type LagoonProperty, type LagoonResource } from './schema.js';

/** Bridged DreamHost DNS records in Pulumi programs (Terraform provider bridge naming). */
export const DREAMHOST_PULUMI_TOKENS = ['dreamhost:index/dnsRecord:DnsRecord', 'dreamhost:index:DnsRecord'];

const PULUMI_BUILTINS = new Set(['pulumi']);
const INTERPOLATION = /\$\{([^}]*)\}/g;

/** What a property's YAML value is, for checking. */
type PropertyValue = { kind: 'literal'; value: unknown } | { kind: 'secret' } | { kind: 'expression' };

interface DeclaredResource {
  name: string;
  token: string;
  schema?: LagoonResource;
  literals: Map<string, unknown>;
  /** Property values as written (for duplicates keyed by references). */
  texts: Map<string, string>;
  nameRange: Range;
  /** Sensitive values flagged only if likely credentials, once the resource's `name` is known. */
  likelySecrets: { schema: LagoonProperty; value: string; range: Range; what: string }[];
}

/** How Lagoon programs name the shared literal checks' findings. */
const LITERAL_CODES: LiteralCodes = { type: 'lagoon/property-type', value: 'lagoon/invalid-value' };

class PulumiProgramAnalyzer {
  readonly diagnostics: Diagnostic[];
  private readonly declared = new Map<string, DeclaredResource>();
  private readonly otherNames = new Set<string>();

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
    const resources = findField(root, 'resources');
    if (resources && !isMap(resources.value) && resources.value !== null) {
      this.report(nodeRange(this.doc, resources.value as never), { code: 'pulumi/program-structure', message: 'resources is a mapping from resource names to { type, properties }' });
      return this.diagnostics;
    }
    const entries = pairs(resources?.value);
    for (const pair of entries) this.declare(pair);
    for (const pair of entries) this.checkResource(pair);
    this.checkInterpolations(root);
    this.checkDuplicates();
    return this.diagnostics.sort(compareDiagnostics);
  }

  private declare(pair: Pair): void {
    const type = findField(pair.value, 'type');
    const token = isScalar(type?.value) ? String(type!.value.value) : '';
    this.declared.set(keyOf(pair), {
      name: keyOf(pair),
      token,
      ...(lagoonResource(token) ? { schema: lagoonResource(token)! } : {}),
      literals: new Map(),
      texts: new Map(),
      likelySecrets: [],
      nameRange: keyRange(this.doc, pair),
    });
  }

  private valueOf(node: unknown): PropertyValue {
    if (isAlias(node)) {
      const value = toValue(this.doc, node);
      return value === undefined ? { kind: 'expression' } : { kind: 'literal', value };
    }
    if (isMap(node)) {
      const [first] = pairs(node);
      if (pairs(node).length === 1 && first && keyOf(first).startsWith('fn::')) return keyOf(first) === 'fn::secret' ? { kind: 'secret' } : { kind: 'expression' };
      const value = toValue(this.doc, node);
      return value === undefined ? { kind: 'expression' } : { kind: 'literal', value };
    }
    if (isSeq(node)) {
      const value = toValue(this.doc, node);
      return value === undefined ? { kind: 'expression' } : { kind: 'literal', value };
    }
    if (isScalar(node)) {
      if (typeof node.value === 'string' && /\$\{[^}]*\}/.test(node.value.replace(/\$\$\{/g, ''))) return { kind: 'expression' };
      return { kind: 'literal', value: node.value };
    }
    return { kind: 'literal', value: null };
  }

  /** The Lagoon provider's credentials (`lagoon:token`, `lagoon:jwtSecret`) must not be set in plain text in the program. */
  private checkProviderSecret(pair: Pair): void {
    const key = keyOf(pair);
    if (key !== 'lagoon:token' && key !== 'lagoon:jwtSecret') return;
    const node = isMap(pair.value) ? findPair(pair.value, 'value')?.value : pair.value;
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return;
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
      const suggestion = closest(name, names);
      this.report(keyRange(this.doc, pair), {
        code: 'pulumi/unknown-key',
        message: `'${name}' is not a key ${where}${didYouMean(name, names)}`,
        ...(suggestion ? { replacement: suggestion, fixTitle: `Change to ${suggestion}` } : {}),
      });
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
    const propertiesPair = findField(pair.value, 'properties');
    if (DREAMHOST_PULUMI_TOKENS.includes(resource.token)) return this.checkDnsRecord(resource, propertiesPair);
    if (!resource.token.startsWith(LAGOON_TOKEN_PREFIX) && !resource.token.startsWith('lagoon:')) return;
    const schema = resource.schema;
    if (!schema) {
      const known = LAGOON_RESOURCES.map((candidate) => candidate.token);
      this.report(typeRange, {
        code: 'lagoon/unknown-resource-type',
        message: `'${resource.token}' is not a Lagoon resource type${didYouMean(resource.token, known)}; the types are ${LAGOON_TOKEN_PREFIX}{${LAGOON_RESOURCES.map((r) => r.name).join(', ')}}`,
      });
      return;
    }
    const seen = new Set<string>();
    for (const property of pairs(propertiesPair?.value)) {
      const name = keyOf(property);
      seen.add(name);
      const propertySchema = schema.properties.find((candidate) => candidate.name === name);
      if (!propertySchema) {
        const output = schema.outputs.includes(name)
          ? `; '${name}' is an output Lagoon sets, not an input`
          : didYouMean(
              name,
              schema.properties.map((candidate) => candidate.name),
            );
        this.report(keyRange(this.doc, property), { code: 'lagoon/unknown-property', message: `'${name}' is not a property of ${schema.token}${output}` });
        continue;
      }
      resource.texts.set(name, String(isScalar(property.value) ? property.value.value : ''));
      this.checkProperty(propertySchema, property, resource);
    }
    for (const propertySchema of schema.properties) {
      if (propertySchema.mode === 'required' && !seen.has(propertySchema.name)) {
        this.report(resource.nameRange, { code: 'lagoon/missing-property', message: `${resource.name} (${schema.name}) needs '${propertySchema.name}': ${propertySchema.description}` });
      }
    }
    for (const { value, range, what } of resource.likelySecrets) {
      const name = resource.literals.get('name');
      if (looksLikeSecret(typeof name === 'string' ? name : undefined, value)) {
        this.report(range, {
          code: 'lagoon/secret-in-plain-text',
          message: `${what} looks like a secret written in plain text; use fn::secret, or a config value set with 'pulumi config set --secret'`,
        });
      }
    }
    this.checkCrossProperties(resource, propertiesPair);
  }

  private checkProperty(schema: LagoonProperty, property: Pair, resource: DeclaredResource): void {
    const value = this.valueOf(property.value);
    const range = nodeRange(this.doc, property.value as never);
    const what = `${resource.name}.${schema.name}`;
    if (value.kind === 'secret' || value.kind === 'expression') return;
    const literal = value.value;
    if (literal === null) return;
    resource.literals.set(schema.name, literal);
    const problems = checkLiteral(literal, schema, LITERAL_CODES, { converts: false, what });
    for (const finding of problems) this.report(range, finding);
    if (problems.length) return;
    if (schema.format && typeof literal === 'string') for (const finding of checkFormat(schema.format, literal, what)) this.report(range, finding);
    if (schema.sensitive && schema.secretWhenLikely && typeof literal === 'string' && literal !== '') {
      resource.likelySecrets.push({ schema, value: literal, range, what });
    } else if (schema.sensitive && typeof literal === 'string' && literal !== '') {
      this.report(range, { code: 'lagoon/secret-in-plain-text', message: `${what} is a secret written in plain text; use fn::secret, or a config value set with 'pulumi config set --secret'` });
    }
    if (schema.items && Array.isArray(literal)) this.checkItems(schema, literal, range, what);
  }

  private checkItems(schema: LagoonProperty, items: unknown[], range: Range, what: string): void {
    items.forEach((item, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item))
        return this.report(range, { code: 'lagoon/property-type', message: `${what}[${index}] must be an object with ${schema.items!.map((field) => field.name).join(', ')}` });
      for (const field of schema.items!) {
        const fieldValue = (item as Record<string, unknown>)[field.name];
        if (fieldValue === undefined && field.mode === 'required') this.report(range, { code: 'lagoon/missing-property', message: `${what}[${index}] needs '${field.name}': ${field.description}` });
        else if (fieldValue !== undefined && field.enum) {
          // The accepted values only: item fields are not type-checked (the provider converts them).
          for (const finding of checkLiteral(fieldValue, { ...field, type: 'any' }, LITERAL_CODES, { converts: false, what: `${what}[${index}].${field.name}` })) this.report(range, finding);
        }
      }
      for (const key of Object.keys(item)) {
        if (!schema.items!.some((field) => field.name === key))
          this.report(range, {
            code: 'lagoon/unknown-property',
            message: `${what}[${index}].${key} is not a field${didYouMean(
              key,
              schema.items!.map((field) => field.name),
            )}`,
          });
      }
    });
  }

  private checkCrossProperties(resource: DeclaredResource, propertiesPair: Pair | undefined): void {
    const at = (name: string) => {
      const property = findPair(propertiesPair?.value, name);
      return property ? nodeRange(this.doc, property.value as never) : resource.nameRange;
    };
    const literal = (name: string) => resource.literals.get(name);
    const present = (name: string) => findPair(propertiesPair?.value, name) !== undefined;
    if (resource.schema?.name === 'Task') {
      const type = String(literal('type') ?? '').toLowerCase();
      if (type === 'command' && !present('command')) this.report(at('type'), { code: 'lagoon/missing-property', message: `${resource.name}: a task of type 'command' needs 'command'` });
      if (type === 'image' && !present('image')) this.report(at('type'), { code: 'lagoon/missing-property', message: `${resource.name}: a task of type 'image' needs 'image'` });
    }
    if (resource.schema?.name === 'Project') {
      const production = literal('productionEnvironment');
      const branches = literal('branches');
      if (typeof production === 'string' && typeof branches === 'string' && branches !== 'true') {
        let deployed = false;
        try {
          deployed = branches !== 'false' && new RegExp(branches).test(production);
        } catch {
          return; // the regex itself is reported
        }
        if (!deployed)
          this.report(at('branches'), {
            code: 'lagoon/production-not-deployed',
            message: `the production environment '${production}' does not match branches '${branches}', so Lagoon would never deploy it`,
          });
      }
    }
  }

  private checkDnsRecord(resource: DeclaredResource, propertiesPair: Pair | undefined): void {
    const values: Record<string, string | undefined> = {};
    const ranges = new Map<string, Range>();
    for (const property of pairs(propertiesPair?.value)) {
      const value = this.valueOf(property.value);
      ranges.set(keyOf(property), nodeRange(this.doc, property.value as never));
      if (value.kind === 'literal' && (typeof value.value === 'string' || typeof value.value === 'number')) values[keyOf(property)] = String(value.value);
    }
    for (const attr of dreamhostRecordResource.attributes) {
      if (attr.mode === 'required' && !ranges.has(attr.name))
        this.report(resource.nameRange, { code: 'lagoon/missing-property', message: `${resource.name} (DNS record) needs '${attr.name}': ${attr.description}` });
    }
    for (const finding of dreamhostRecordResource.validate?.(values) ?? []) this.report(ranges.get(finding.attribute) ?? resource.nameRange, finding);
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
          } else if (resource?.schema && property && !['id', 'urn'].includes(property) && !resource.schema.outputs.includes(property) && !resource.schema.properties.some((p) => p.name === property)) {
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

  /** Resources whose identifying properties are equal would fight over one Lagoon object. */
  private checkDuplicates(): void {
    const identity: Record<string, string[]> = {
      Project: ['name'],
      Environment: ['projectId', 'name'],
      Variable: ['projectId', 'environmentId', 'name'],
      NotificationSlack: ['name'],
      NotificationRocketChat: ['name'],
      NotificationEmail: ['name'],
      NotificationMicrosoftTeams: ['name'],
      Group: ['name'],
      User: ['email'],
      Route: ['projectName', 'domain'],
      UserGroupAssignment: ['userEmail', 'groupName'],
      DeployTarget: ['name'],
    };
    const seen = new Map<string, DeclaredResource>();
    for (const resource of this.declared.values()) {
      const fields = resource.schema ? identity[resource.schema.name] : undefined;
      if (!fields || !resource.texts.has(fields[fields.length - 1]!)) continue;
      const key = `${resource.token}\u0000${fields.map((field) => resource.texts.get(field) ?? '').join('\u0000')}`;
      const first = seen.get(key);
      if (first) {
        this.report(resource.nameRange, {
          code: 'lagoon/duplicate-name',
          message: `${resource.name} and ${first.name} are both ${resource.schema!.name} with ${fields.map((field) => `${field} ${resource.texts.get(field) ?? '(unset)'}`).join(', ')}`,
        });
      } else seen.set(key, resource);
    }
  }
}

/** A quick fix for an enum value when the intended one is clear (a close spelling). */

/** Analyses a Pulumi YAML program (Pulumi.yaml or Main.yaml): Lagoon resources and bridged DreamHost records. */
export function analyzePulumiProgram(text: string, source = ''): Diagnostic[] {
  return new PulumiProgramAnalyzer(parseYaml(text, source)).run();
}
