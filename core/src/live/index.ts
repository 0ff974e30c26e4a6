import { defineRules } from '../diagnostics/rules.js';
import { diagnosticOf } from '../diagnostics/make.js';
import type { Diagnostic, Range } from '../diagnostics/types.js';
import { normalizeName, zoneApexOf } from '../dns/names.js';
import { DreamhostApi, type DreamhostRecord } from '../dreamhost/api.js';
import { literalString, type HclBlock, type HclDocument } from '../hcl/types.js';
import { HttpClient } from '../http/index.js';
import { LagoonApi, type LagoonDeployTarget, type LagoonProjectSummary } from '../lagoon/api.js';
import { RegistryClient } from '../registry/client.js';
import { hclQuote } from '../terraform/analyzer.js';
import { parseProviderSource, parseVersionConstraints, requiredProviders, versionsMatching } from '../terraform/versions.js';
import { pulumiYamlDeclarations } from '../lagoon/pulumi.js';
import type { ResourceDeclaration, ResourceFinding, ResourceInput } from '../lagoon/resource-checks.js';

export const LiveRules = defineRules({
  'live/record-not-in-config': { severity: 'information', summary: 'A record exists at DreamHost in a zone this configuration manages, but the configuration does not declare it.' },
  'live/record-not-editable': { severity: 'warning', summary: 'A configured record collides with a record DreamHost manages itself and does not let anyone change.' },
  'live/version-unpublished': { severity: 'error', summary: 'No published version of the provider meets the version constraint.' },
  'live/newer-major': { severity: 'hint', summary: 'A newer major version of the provider is published.' },
  'live/deploy-target-unknown': { severity: 'error', summary: 'The deploy target ID does not exist in Lagoon.' },
  'live/project-unknown': { severity: 'warning', summary: 'The Lagoon project does not exist (yet) in Lagoon.' },
});

export interface LiveSourceStatus {
  name: 'DreamHost' | 'Lagoon' | 'registry';
  state: 'off' | 'ok' | 'failing';
  error?: string;
}

export interface LiveDataOptions {
  dreamhost?: DreamhostApi;
  lagoon?: LagoonApi;
  registry?: RegistryClient;
}

/**
 * Live facts from DreamHost, Lagoon and the provider registry for the editor.
 * Every query answers from what is cached at once; `refresh` fetches in the
 * background, and failures never stop static validation.
 */
export class LiveData {
  private records?: DreamhostRecord[];
  private deployTargetList?: LagoonDeployTarget[];
  private projectList?: LagoonProjectSummary[];
  private readonly versions = new Map<string, string[]>();
  private readonly status = new Map<LiveSourceStatus['name'], LiveSourceStatus>();
  private refreshing?: Promise<void>;

  constructor(private readonly sources: LiveDataOptions) {
    this.status.set('DreamHost', { name: 'DreamHost', state: sources.dreamhost ? 'ok' : 'off' });
    this.status.set('Lagoon', { name: 'Lagoon', state: sources.lagoon ? 'ok' : 'off' });
    this.status.set('registry', { name: 'registry', state: sources.registry ? 'ok' : 'off' });
  }

  /** Sources from the environment: DREAMHOST_API_KEY, LAGOON_API_URL with LAGOON_TOKEN or LAGOON_JWT_SECRET, SHORELINE_REGISTRY_URL. */
  static fromEnvironment(options: { dreamhostApiKey?: string; lagoonToken?: string; registry?: boolean; http?: HttpClient } = {}): LiveData {
    const apiKey = options.dreamhostApiKey ?? process.env['DREAMHOST_API_KEY'];
    const token = options.lagoonToken ?? process.env['LAGOON_TOKEN'];
    const secrets = () => [apiKey ?? '', token ?? '', process.env['LAGOON_JWT_SECRET'] ?? ''];
    const http = options.http ?? new HttpClient({ secrets, timeoutMs: 8000, retries: 2 });
    const lagoonUrl = process.env['LAGOON_API_URL'];
    const jwtSecret = process.env['LAGOON_JWT_SECRET'];
    return new LiveData({
      ...(apiKey ? { dreamhost: new DreamhostApi({ apiKey, http }) } : {}),
      ...(lagoonUrl && (token || jwtSecret) ? { lagoon: new LagoonApi({ url: lagoonUrl, ...(token ? { token } : {}), ...(jwtSecret ? { jwtSecret } : {}), http }) } : {}),
      ...(options.registry === false ? {} : { registry: new RegistryClient({ http }) }),
    });
  }

  statuses(): LiveSourceStatus[] {
    return [...this.status.values()];
  }

  private mark(name: LiveSourceStatus['name'], error?: unknown): void {
    this.status.set(name, error === undefined ? { name, state: 'ok' } : { name, state: 'failing', error: (error as Error).message });
  }

  /** Fetches what the documents need (records, deploy targets, projects, provider versions); never rejects. */
  refresh(documents: readonly HclDocument[] = []): Promise<void> {
    // A refresh in progress may have been asked for other documents: run again after it.
    if (this.refreshing) return this.refreshing.then(() => this.refresh(documents));
    const work = async () => {
      const tasks: Promise<void>[] = [];
      const { dreamhost, lagoon, registry } = this.sources;
      if (dreamhost)
        tasks.push(
          dreamhost.listRecords({ fresh: true }).then(
            (records) => void ((this.records = records), this.mark('DreamHost')),
            (error) => this.mark('DreamHost', error),
          ),
        );
      if (lagoon) {
        tasks.push(
          Promise.all([lagoon.deployTargets(), lagoon.projects()]).then(
            ([targets, projects]) => void ((this.deployTargetList = targets), (this.projectList = projects), this.mark('Lagoon')),
            (error) => this.mark('Lagoon', error),
          ),
        );
      }
      if (registry) {
        for (const source of declaredSources(documents)) {
          const parsed = parseProviderSource(source).source;
          if (!parsed) continue;
          tasks.push(
            registry.providerVersions(parsed.namespace, parsed.type).then(
              (versions) => void (this.versions.set(source, versions), this.mark('registry')),
              (error) => this.mark('registry', error),
            ),
          );
        }
      }
      await Promise.all(tasks);
    };
    this.refreshing = work().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  dreamhostRecords(): DreamhostRecord[] | undefined {
    return this.records;
  }

  deployTargets(): LagoonDeployTarget[] | undefined {
    return this.deployTargetList;
  }

  projects(): LagoonProjectSummary[] | undefined {
    return this.projectList;
  }

  providerVersions(source: string): string[] | undefined {
    return this.versions.get(source);
  }

  /** Live findings for the documents of a module, from cached facts only. */
  diagnostics(documents: readonly HclDocument[]): Map<string, Diagnostic[]> {
    const results = new Map<string, Diagnostic[]>(documents.map((document) => [document.source, []]));
    this.recordDiagnostics(documents, results);
    this.versionDiagnostics(documents, results);
    return results;
  }

  private recordDiagnostics(documents: readonly HclDocument[], results: Map<string, Diagnostic[]>): void {
    const live = this.records;
    if (!live) return;
    const configured: { document: HclDocument; block: HclBlock; record: string; type: string; value: string }[] = [];
    for (const document of documents) {
      for (const block of document.body.blocks) {
        if (block.type !== 'resource' || block.labels[0] !== 'dreamhost_dns_record') continue;
        const value = (name: string) => literalString(block.attributes.find((attr) => attr.name === name));
        const [record, type, recordValue] = [value('record'), value('type'), value('value')];
        if (record !== undefined && type !== undefined && recordValue !== undefined) configured.push({ document, block, record, type, value: recordValue });
      }
    }
    const key = (record: string, type: string, value: string) => `${normalizeName(record)}|${type}|${value.replace(/\.$/, '')}`;
    const liveByKey = new Map(live.map((record) => [key(record.record, record.type, record.value), record]));
    for (const entry of configured) {
      const match = liveByKey.get(key(entry.record, entry.type, entry.value));
      const attr = entry.block.attributes.find((candidate) => candidate.name === 'record')!;
      if (match && match.editable !== '1') {
        results.get(entry.document.source)!.push(
          diagnosticOf(attr.valueRange, {
            code: 'live/record-not-editable',
            message: `DreamHost already has this ${entry.type} record for ${entry.record} and does not let it be changed (editable: ${match.editable}); Terraform cannot create or manage it`,
          }),
        );
      }
    }
    // Records of the managed zones that the configuration does not declare: offer to import them.
    const zones = new Set(configured.map((entry) => zoneApexOf(entry.record)).filter((zone): zone is string => !!zone));
    const declared = new Set(configured.map((entry) => key(entry.record, entry.type, entry.value)));
    const anchor = configured[0];
    if (!anchor) return;
    const lines = anchor.document.text.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    for (const record of live) {
      if (record.editable !== '1' || !zones.has(zoneApexOf(record.record) ?? '') || declared.has(key(record.record, record.type, record.value))) continue;
      const name = `${record.record}_${record.type}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      const id = `${record.type}|${record.record}|${record.value}`;
      const text = `\nresource "dreamhost_dns_record" "${name}" {\n  record = ${hclQuote(record.record)}\n  type   = ${hclQuote(record.type)}\n  value  = ${hclQuote(record.value)}\n}\n\nimport {\n  to = dreamhost_dns_record.${name}\n  id = ${hclQuote(id)}\n}\n`;
      const range: Range = anchor.block.headerRange;
      const diagnostic = diagnosticOf(range, {
        code: 'live/record-not-in-config',
        message: `DreamHost has the ${record.type} record ${record.record} → ${record.value}, which this configuration does not declare; import it to manage it here`,
      });
      diagnostic.fixes = [{ title: `Import ${record.type} ${record.record} (${id})`, range: { start: end, end }, newText: text }];
      results.get(anchor.document.source)!.push(diagnostic);
    }
  }

  private versionDiagnostics(documents: readonly HclDocument[], results: Map<string, Diagnostic[]>): void {
    for (const { document, entry, source, version } of requiredProviders(documents)) {
      const published = source !== undefined ? this.versions.get(source) : undefined;
      if (!published?.length || version === undefined) continue;
      const { constraints, findings } = parseVersionConstraints(version);
      if (findings.length) continue;
      const matching = versionsMatching(published, constraints);
      if (matching.length === 0) {
        results
          .get(document.source)!
          .push(
            diagnosticOf(entry.valueRange, { code: 'live/version-unpublished', message: `no published version of ${source} meets "${version}"; the newest are ${published.slice(0, 5).join(', ')}` }),
          );
        continue;
      }
      const stable = published.filter((candidate) => !candidate.includes('-'));
      const newestMatching = Number(matching[0]!.split('.')[0]);
      const newestMajor = stable.length ? Number(stable[0]!.split('.')[0]) : newestMatching;
      if (newestMajor > newestMatching) {
        results
          .get(document.source)!
          .push(diagnosticOf(entry.valueRange, { code: 'live/newer-major', message: `${source} ${stable[0]} is published, a newer major version than "${version}" allows` }));
      }
    }
  }
}

/**
 * Live findings for Lagoon resources, in any program language: deploy target
 * IDs that Lagoon does not have, and projects that neither Lagoon nor the
 * program declare.
 */
export function liveResourceFindings(live: LiveData, declarations: readonly ResourceDeclaration[]): ResourceFinding[] {
  const targets = live.deployTargets();
  const projects = live.projects();
  if (!targets && !projects) return [];
  const found: ResourceFinding[] = [];
  const literal = (input: ResourceInput) => (input.value.kind === 'literal' ? input.value.value : undefined);
  const declaredProjects = new Set<string>();
  for (const declaration of declarations) {
    if (declaration.schema?.name !== 'Project' || declaration.kind !== 'lagoon') continue;
    const name = declaration.inputs.find((input) => input.property?.name === 'name');
    // A computed name may be any project: none is reported unknown then.
    if (!name || typeof literal(name) !== 'string') return liveTargetFindings(declarations, targets);
    declaredProjects.add(literal(name) as string);
  }
  found.push(...liveTargetFindings(declarations, targets));
  if (!projects) return found;
  for (const declaration of declarations) {
    for (const input of declaration.inputs) {
      const value = literal(input);
      if (input.property?.name !== 'projectName' || typeof value !== 'string' || declaredProjects.has(value) || projects.some((project) => project.name === value)) continue;
      found.push({ declaration, diagnostic: diagnosticOf(input.valueRange, { code: 'live/project-unknown', message: `Lagoon has no project '${value}', and this program does not create one` }) });
    }
  }
  return found;
}

function liveTargetFindings(declarations: readonly ResourceDeclaration[], targets: LagoonDeployTarget[] | undefined): ResourceFinding[] {
  if (!targets) return [];
  const found: ResourceFinding[] = [];
  for (const declaration of declarations) {
    for (const input of declaration.inputs) {
      const value = input.value.kind === 'literal' ? input.value.value : undefined;
      if ((input.property?.name !== 'deploytargetId' && input.property?.name !== 'deployTargetId') || typeof value !== 'number' || targets.some((target) => target.id === value)) continue;
      found.push({
        declaration,
        diagnostic: diagnosticOf(input.valueRange, {
          code: 'live/deploy-target-unknown',
          message: `Lagoon has no deploy target ${value}; it has ${targets.map((target) => `${target.id} (${target.name})`).join(', ') || 'none'}`,
        }),
      });
    }
  }
  return found;
}

/** Live findings for a Pulumi YAML program (see liveResourceFindings). */
export function liveProgramDiagnostics(live: LiveData, text: string): Diagnostic[] {
  if (!live.deployTargets() && !live.projects()) return [];
  return liveResourceFindings(live, pulumiYamlDeclarations(text)).map((found) => found.diagnostic);
}
/** Provider source addresses declared in required_providers. */
export function declaredSources(documents: readonly HclDocument[]): string[] {
  return [...new Set(requiredProviders(documents).flatMap((provider) => (provider.source !== undefined ? [provider.source] : [])))];
}
