import { diagnosticOf } from '../diagnostics/make.js';
import { defineRules } from '../diagnostics/rules.js';
import { compareDiagnostics, type Diagnostic, type Finding, type Range } from '../diagnostics/types.js';
import '../dns/rules.js';
import { isIPv4 } from '../dns/ip.js';
import { suggest } from '../util/suggest.js';
import { findField, isAlias, isMap, isScalar, isSeq, keyOf, keyRange, nodeRange, parseYaml, type Node, type YamlDocument, type YAMLMap } from '../yaml/index.js';
import { goDurationSeconds, lagoonSchedule } from './cron.js';
import { checkFormat } from './formats.js';
import './rules.js';

export const LagoonYmlRules = defineRules({
  'lagoon-yml/unknown-key': { severity: 'warning', summary: '.lagoon.yml has a key Lagoon does not read (often a misspelling).' },
  'lagoon-yml/invalid-value': { severity: 'error', summary: 'A .lagoon.yml value has the wrong type or is not one Lagoon accepts.' },
  'lagoon-yml/missing-key': { severity: 'error', summary: 'A .lagoon.yml entry lacks a key Lagoon needs.' },
  'lagoon-yml/cron-invalid': { severity: 'error', summary: "A cron schedule is not valid in Lagoon's extended crontab format (M and H randomisers)." },
  'lagoon-yml/cron-in-pod': { severity: 'information', summary: 'A cron job Lagoon runs in the service container (median gap under 30 minutes, or inPod), not as a Kubernetes CronJob.' },
  'lagoon-yml/disallowed-annotation': { severity: 'error', summary: 'Lagoon refuses this ingress annotation and the build fails.' },
});

/**
 * How a part of .lagoon.yml is shaped. `doc` says what a key is for: hover
 * and completion show it, so each key is described once, where it is checked.
 */
type Spec = (
  | { kind: 'map'; fields: Record<string, Spec>; required?: string[]; other?: Spec; otherKey?: (key: string, range: Range) => void }
  | { kind: 'list'; item: Spec }
  | { kind: 'string'; enum?: readonly string[]; check?: (value: string, range: Range) => void }
  | { kind: 'bool'; parseBool?: boolean }
  | { kind: 'int'; min?: number }
  | { kind: 'any' }
  | { kind: 'custom'; check: (node: unknown, path: string) => void; shape?: Spec }
) & { doc?: string };

const described = <T extends Spec>(doc: string, spec: T): T => ({ ...spec, doc });

/** Kubernetes' DNS-1123 subdomain (k8s.io/apimachinery validation.IsDNS1123Subdomain). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The field a key names: Go's encoding/json matches struct fields without regard to case. */
function fieldNameOf(fields: Record<string, Spec>, key: string): string | undefined {
  if (Object.hasOwn(fields, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(fields).find((name) => name.toLowerCase() === lower);
}

/** A string as Go's strconv.ParseBool reads it: a boolean, or undefined when it is none. */
function goParseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

const DISALLOWED_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/auth-snippet',
  'nginx.ingress.kubernetes.io/modsecurity-snippet',
  'nginx.ingress.kubernetes.io/stream-snippet',
  'nginx.ingress.kubernetes.io/use-regex',
];

class LagoonYmlAnalyzer {
  readonly diagnostics: Diagnostic[];

  constructor(readonly doc: YamlDocument) {
    this.diagnostics = [...doc.diagnostics];
  }

  report(range: Range, finding: Finding): void {
    this.diagnostics.push(diagnosticOf(range, finding));
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc.document) : node;
  }

  range(node: unknown): Range {
    return nodeRange(this.doc, this.resolve(node) as Node);
  }

  /** Checks `node` against `spec`; `path` names it in messages (routes.autogenerate.enabled). */
  walk(node: unknown, spec: Spec, path: string): void {
    node = this.resolve(node);
    // A key with nothing after it (or null) is Go's zero value: empty, never wrong.
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
    const range = this.range(node);
    const invalid = (expected: string) => this.report(range, { code: 'lagoon-yml/invalid-value', message: `${path} must be ${expected}` });
    switch (spec.kind) {
      case 'any':
        return;
      case 'custom':
        return spec.check(node, path);
      case 'bool':
        if (isScalar(node) && typeof node.value === 'boolean') return;
        // Where Lagoon converts strings itself (strconv.ParseBool), 'true' and "0" are booleans too.
        if (spec.parseBool && isScalar(node) && typeof node.value === 'string' && goParseBool(node.value) !== undefined) return;
        invalid(`true or false${isScalar(node) && typeof node.value === 'string' ? ' (unquoted: Lagoon reads a quoted value here as text and fails the build)' : ''}`);
        return;
      case 'int':
        if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < (spec.min ?? -Infinity))
          invalid(`a whole number${spec.min !== undefined ? ` of at least ${spec.min}` : ''}`);
        return;
      case 'string': {
        if (!isScalar(node) || typeof node.value !== 'string') {
          // Go reads the value into a string: a number or boolean fails the build unless it is quoted.
          const quoted = isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean') ? ` (quote it: "${String(node.value)}")` : '';
          return invalid(`text${quoted}`);
        }
        const text = String(node.value);
        if (spec.enum && !spec.enum.includes(text)) {
          const { hint, fix } = suggest(text, spec.enum);
          // Lagoon acts on these values only (e.g. insecure: Allow/Redirect/None) and passes others over: the build goes on.
          this.report(range, {
            code: 'lagoon-yml/invalid-value',
            severity: 'warning',
            message: `${path}: Lagoon acts only on ${spec.enum.join(', ')}; '${text}' does nothing${hint}`,
            ...fix,
          });
          return;
        }
        spec.check?.(text, range);
        return;
      }
      case 'list':
        if (!isSeq(node)) return invalid('a list');
        node.items.forEach((item, index) => this.walk(item, spec.item, `${path}[${index}]`));
        return;
      case 'map': {
        if (!isMap(node)) return invalid('a mapping');
        const present = new Set<string>();
        for (const pair of node.items) {
          const key = keyOf(pair);
          const fieldName = fieldNameOf(spec.fields, key);
          present.add(fieldName ?? key);
          const field = fieldName !== undefined ? spec.fields[fieldName] : undefined;
          const childPath = path ? `${path}.${key}` : key;
          if (field) this.walk(pair.value, field, childPath);
          else if (spec.other) {
            spec.otherKey?.(key, keyRange(this.doc, pair));
            this.walk(pair.value, spec.other, childPath);
          } else {
            const { hint, fix } = suggest(key, Object.keys(spec.fields));
            this.report(keyRange(this.doc, pair), {
              code: 'lagoon-yml/unknown-key',
              message: `'${key}' is not a key Lagoon reads ${path ? `in ${path}` : 'at the top of .lagoon.yml'}${hint}`,
              ...fix,
            });
          }
        }
        for (const key of spec.required ?? []) {
          if (!present.has(key)) this.report(range, { code: 'lagoon-yml/missing-key', message: `${path || '.lagoon.yml'} needs '${key}'` });
        }
        return;
      }
    }
  }

  /** `wildcard: true` needs `tls-acme: false` (its default is true) and no alternative names, or Lagoon fails the build. */
  checkWildcard(options: unknown, path: string): void {
    options = this.resolve(options);
    if (!isMap(options)) return;
    const option = (name: string) => findField(options, name);
    const wildcard = option('wildcard');
    if (!isScalar(wildcard?.value) || wildcard.value.value !== true) return;
    const tlsAcme = option('tls-acme');
    const tlsValue = isScalar(tlsAcme?.value) ? tlsAcme.value.value : undefined;
    // tls-acme is one of the values Lagoon converts with ParseBool.
    const tlsOff = tlsValue === false || (typeof tlsValue === 'string' && goParseBool(tlsValue) === false);
    const range = this.range(wildcard.value);
    if (!tlsOff)
      this.report(range, { code: 'lagoon-yml/invalid-value', message: `${path}: wildcard: true needs tls-acme: false (Let's Encrypt does not issue wildcards this way); Lagoon fails the build` });
    if (option('alternativenames')) this.report(range, { code: 'lagoon-yml/invalid-value', message: `${path}: wildcard: true cannot have alternativenames; Lagoon fails the build` });
  }

  /**
   * A route domain as Lagoon validates it: lower-cased, it must be a DNS-1123
   * subdomain (Kubernetes' rule), so no `*.` wildcard (that is `wildcard: true`)
   * and no trailing dot; an address is no host name for an ingress either.
   */
  checkDomain(domain: string, range: Range, path: string): void {
    const lower = domain.toLowerCase();
    if (lower.length > 253 || !DNS1123_SUBDOMAIN.test(lower)) {
      const why = lower.startsWith('*.')
        ? "a wildcard is written as the domain itself with 'wildcard: true'"
        : lower.endsWith('.')
          ? 'the trailing dot is not allowed'
          : lower.length > 253
            ? 'it is longer than 253 characters'
            : "it may hold only letters, digits, '-' and '.', each label starting and ending with a letter or digit";
      this.report(range, { code: 'dns/target-invalid', message: `${path}: Lagoon refuses the route domain '${domain}' and fails the build: ${why}` });
      return;
    }
    if (isIPv4(lower)) this.report(range, { code: 'dns/target-is-ip', message: `${path}: '${domain}' is an address; a route needs a host name` });
  }
}

/** `.lagoon.yml` routes: a list of `{ service: [ domain | { domain: options } ] }`. */
function routesSpec(analyzer: () => LagoonYmlAnalyzer): Spec {
  const routeOptions: Spec = {
    kind: 'map',
    fields: {
      'tls-acme': { kind: 'bool', parseBool: true, doc: "Whether Lagoon requests a Let's Encrypt certificate for the domain (default true)." },
      migrate: { kind: 'bool', doc: 'Whether the route moves with the active environment of an active/standby pair.' },
      fastly: {
        kind: 'map',
        doc: 'Fastly settings of the route.',
        fields: {
          'service-id': { kind: 'string', doc: 'The Fastly service that fronts the route.' },
          watch: { kind: 'bool', parseBool: true, doc: 'Whether Lagoon purges the Fastly cache for the route.' },
        },
      },
      insecure: { kind: 'string', enum: ['Allow', 'Redirect', 'None'], doc: 'What plain-HTTP requests get: `Allow` serves them, `Redirect` sends them to HTTPS, `None` refuses them.' },
      hstsEnabled: { kind: 'bool', doc: 'Send the Strict-Transport-Security header.' },
      hstsMaxAge: { kind: 'int', min: 0, doc: 'The max-age of the Strict-Transport-Security header, in seconds.' },
      hstsPreload: { kind: 'bool', doc: 'Add `preload` to the Strict-Transport-Security header.' },
      hstsIncludeSubdomains: { kind: 'bool', doc: 'Add `includeSubDomains` to the Strict-Transport-Security header.' },
      'monitoring-path': { kind: 'string', doc: 'The path uptime monitoring requests on this route.' },
      annotations: {
        kind: 'map',
        doc: 'Ingress annotations added to the route (some are refused by Lagoon).',
        fields: {},
        // Go reads annotations as text: a map or a number fails the build.
        other: { kind: 'string' },
        otherKey: (key, range) => {
          if (DISALLOWED_ANNOTATIONS.includes(key))
            analyzer().report(range, { code: 'lagoon-yml/disallowed-annotation', message: `Lagoon does not allow the annotation ${key}; the build fails with it` });
        },
      },
      pathRoutes: described('Paths of the route served by other services.', {
        kind: 'list',
        item: {
          kind: 'map',
          fields: { toService: { kind: 'string', doc: 'The service that answers requests for the path.' }, path: { kind: 'string', doc: 'The URL path routed to another service.' } },
          required: ['toService', 'path'],
        },
      }),
      alternativenames: described('More domains served by the same route and certificate.', { kind: 'list', item: { kind: 'string' } }),
      wildcard: { kind: 'bool', doc: 'Serve every subdomain of the domain (needs `tls-acme: false` and no alternative names).' },
      wildcardApex: { kind: 'bool', doc: 'With `wildcard`, also serve the domain itself.' },
      ingressClass: { kind: 'string', doc: 'The Kubernetes ingress class of the route.' },
      disableRequestVerification: { kind: 'bool', doc: 'Turn off request verification for the route.' },
    },
  };
  const route: Spec = {
    kind: 'custom',
    shape: { kind: 'map', fields: {}, other: routeOptions },
    check: (node, path) => {
      const self = analyzer();
      if (isScalar(node) && typeof node.value === 'string') return self.checkDomain(node.value, self.range(node), path);
      if (isMap(node) && node.items.length === 1) {
        const [pair] = node.items;
        self.checkDomain(keyOf(pair!), keyRange(self.doc, pair!), path);
        if (pair!.value !== null) self.walk(pair!.value, routeOptions, `${path}.${keyOf(pair!)}`);
        self.checkWildcard(pair!.value, `${path}.${keyOf(pair!)}`);
        return;
      }
      self.report(self.range(node), { code: 'lagoon-yml/invalid-value', message: `${path} must be a domain, or a domain with options ("www.example.com": { tls-acme: true })` });
    },
  };
  return described('The routes of the environment: for each docker-compose service, its domains (each optionally with options).', {
    kind: 'list',
    item: { kind: 'map', fields: {}, other: { kind: 'list', item: route } },
  });
}

function buildSpec(analyzer: () => LagoonYmlAnalyzer): Spec {
  const pathRoute: Spec = {
    kind: 'map',
    fields: {
      fromService: { kind: 'string', doc: 'The service whose generated routes get the path.' },
      toService: { kind: 'string', doc: 'The service that answers requests for the path.' },
      path: { kind: 'string', doc: 'The URL path routed to another service.' },
    },
    required: ['fromService', 'toService', 'path'],
  };
  const task: Spec = {
    kind: 'map',
    fields: {
      run: {
        kind: 'map',
        doc: 'The task: what runs, where.',
        fields: {
          name: { kind: 'string', doc: 'A name for it, shown in build logs.' },
          command: { kind: 'string', doc: 'The shell command to run.' },
          service: { kind: 'string', doc: 'The docker-compose service it runs in.' },
          container: { kind: 'string', doc: 'The container of the service, when it has several.' },
          shell: { kind: 'string', doc: 'The shell that runs the command (default `sh`).' },
          when: { kind: 'string', doc: 'A condition (shell expression) that decides whether the task runs.' },
          namespace: { kind: 'string', doc: 'The namespace the task runs in (default: the environment’s).' },
          weight: { kind: 'int', doc: 'The order of tasks merged from several sources: lower runs first.' },
          scaleWaitTime: { kind: 'int', doc: 'Seconds between checks while waiting for a scaled-down service to come up.' },
          scaleMaxIterations: { kind: 'int', doc: 'How many times Lagoon checks for a scaled-down service before giving up.' },
          requiresEnvironment: { kind: 'bool', doc: 'Run the task only when the environment already exists (skips the first deployment).' },
        },
        required: ['name', 'command', 'service'],
      },
    },
    required: ['run'],
  };
  const cronjobShape: Spec = {
    kind: 'map',
    fields: {
      name: { kind: 'string', doc: 'A name for it, shown in build logs; unique in the environment.' },
      schedule: { kind: 'string', doc: 'When it runs, in crontab form; `M` and `H` (`H(2-4)`, `M/15`) let Lagoon pick the minute and hour.' },
      command: { kind: 'string', doc: 'The shell command to run.' },
      service: { kind: 'string', doc: 'The docker-compose service it runs in.' },
      shell: { kind: 'string', doc: 'The shell that runs the command.' },
      inPod: { kind: 'bool', doc: "Run it in the service's container (true) or as a Kubernetes CronJob (false), instead of letting Lagoon decide from how often it runs." },
      timeout: { kind: 'string', doc: 'How long a run may take, as a Go duration (`30m`, `4h`; at most `24h`; default `4h`).' },
    },
  };
  const cronjob: Spec = {
    kind: 'custom',
    shape: cronjobShape,
    check: (node, path) => {
      const self = analyzer();
      self.walk(node, cronjobShape, path);
      if (!isMap(node)) return;
      // Keys as the walker matched them: without regard to case.
      const field = (key: string) => findField(node, key);
      const schedule = field('schedule');
      const command = field('command');
      const inPodPair = field('inPod');
      const timeout = field('timeout');
      if (isScalar(timeout?.value) && typeof timeout.value.value === 'string' && timeout.value.value !== '') {
        const seconds = goDurationSeconds(timeout.value.value);
        if (seconds === undefined || seconds > 86_400)
          self.report(self.range(timeout.value), {
            code: 'lagoon-yml/invalid-value',
            message: `${path}.timeout: '${timeout.value.value}' ${seconds === undefined ? 'is not a duration Lagoon reads (e.g. 30m, 4h, 1h30m)' : 'is longer than 24 hours, which Lagoon refuses'}`,
          });
      }
      // Lagoon runs a job only in the service it names (others are skipped, not refused); there, no schedule fails the build.
      if (!field('service')) self.report(self.range(node), { code: 'lagoon-yml/missing-key', severity: 'warning', message: `${path} has no service, so Lagoon never runs it` });
      else if (!schedule) self.report(self.range(node), { code: 'lagoon-yml/missing-key', message: `${path} needs 'schedule'` });
      for (const key of ['name', 'command']) if (!field(key)) self.report(self.range(node), { code: 'lagoon-yml/missing-key', severity: 'warning', message: `${path} has no ${key}` });
      // Lagoon's validation refuses multi-line cron commands, wherever the job runs.
      const multiline = isScalar(command?.value) && typeof command.value.value === 'string' && command.value.value.trim().includes('\n');
      if (multiline) {
        self.report(self.range(command!.value), {
          code: 'lagoon-yml/invalid-value',
          message: `${path}.command: multi-line cron commands are not supported and fail the build; put the script in a file and run that`,
        });
      }
      if (!schedule || !isScalar(schedule.value) || typeof schedule.value.value !== 'string') return;
      const inPod = isScalar(inPodPair?.value) && typeof inPodPair.value.value === 'boolean' ? inPodPair.value.value : undefined;
      const result = lagoonSchedule(schedule.value.value, inPod === undefined ? {} : { inPod });
      const range = self.range(schedule.value);
      if (result.error) return self.report(range, { code: 'lagoon-yml/cron-invalid', message: `${path}.schedule: ${result.error}` });
      if (!result.inPod || inPod !== undefined) return;
      self.report(range, {
        code: 'lagoon-yml/cron-in-pod',
        message: `${path}: it runs about every ${result.medianMinutes} minute${result.medianMinutes === 1 ? '' : 's'}, so Lagoon runs it in the service's crontab rather than as a Kubernetes CronJob; the command must be safe to interrupt (set inPod to choose)`,
      });
    },
  };
  /** Lagoon refuses an environment whose cron jobs share a name. */
  const cronjobs: Spec = {
    kind: 'custom',
    doc: 'Scheduled commands of the environment.',
    shape: { kind: 'list', item: cronjob },
    check: (node, path) => {
      const self = analyzer();
      self.walk(node, { kind: 'list', item: cronjob }, path);
      if (!isSeq(node)) return;
      const seen = new Map<string, number>();
      node.items.forEach((item, index) => {
        const namePair = findField(item, 'name');
        if (!namePair || !isScalar(namePair.value)) return;
        const name = String(namePair.value.value);
        const first = seen.get(name);
        if (first === undefined) seen.set(name, index);
        else
          self.report(self.range(namePair.value), {
            code: 'lagoon-yml/invalid-value',
            message: `${path}[${index}]: the name '${name}' is already used by ${path}[${first}]; Lagoon fails the build on duplicate cron job names`,
          });
      });
    },
  };
  const environment: Spec = {
    kind: 'map',
    doc: 'The settings of one environment.',
    fields: {
      routes: routesSpec(analyzer),
      cronjobs,
      types: { kind: 'map', doc: 'Service types by docker-compose service name, overriding the `lagoon.type` label for this environment.', fields: {}, other: { kind: 'string' } },
      autogenerateRoutes: { kind: 'bool', doc: "Whether this environment gets Lagoon's generated routes." },
      autogeneratePathRoutes: { kind: 'list', item: pathRoute, doc: 'Path-based routes added to the generated routes of this environment.' },
      overrides: {
        kind: 'map',
        doc: 'Per-service overrides for this environment, by docker-compose service name.',
        fields: {},
        other: {
          kind: 'map',
          doc: 'What to change for the service in this environment.',
          fields: {
            build: {
              kind: 'map',
              doc: 'How the service’s image is built here.',
              fields: { dockerfile: { kind: 'string', doc: 'The Dockerfile to build with.' }, context: { kind: 'string', doc: 'The build context folder.' } },
            },
            image: { kind: 'string', doc: 'An image to use instead of building one.' },
          },
        },
      },
      'network-policies': { kind: 'any', doc: 'Which other projects and organizations may reach this environment’s services.' },
    },
  };
  const environments: Spec = {
    kind: 'map',
    fields: {},
    other: environment,
    otherKey: (key, range) => {
      for (const finding of checkFormat('environment-name', key, `environment '${key}'`)) analyzer().report(range, { ...finding, code: 'lagoon-yml/invalid-value' });
    },
  };
  const backupFrequencies = {
    monthly: { kind: 'int', min: 0, doc: 'How many monthly backups are kept.' },
    weekly: { kind: 'int', min: 0, doc: 'How many weekly backups are kept.' },
    daily: { kind: 'int', min: 0, doc: 'How many daily backups are kept.' },
    hourly: { kind: 'int', min: 0, doc: 'How many hourly backups are kept.' },
  } as const;
  const registryShape: Spec = {
    kind: 'map',
    fields: {
      url: { kind: 'string', doc: 'The registry host.' },
      // Not read by the build, but a common note in Lagoon's own examples: accepted, not reported.
      description: { kind: 'string', doc: 'A note for readers of the file; Lagoon ignores it.' },
      username: { kind: 'string', doc: 'The user the build logs in as.' },
      password: { kind: 'string', doc: 'The registry password: the name of a Lagoon variable holding it, never the password itself.' },
    },
  };
  const registry: Spec = {
    kind: 'custom',
    shape: registryShape,
    check: (node, path) => {
      const self = analyzer();
      self.walk(node, registryShape, path);
      const password = findField(node, 'password');
      if (password && isScalar(password.value) && typeof password.value.value === 'string' && !/^[A-Z_][A-Z0-9_]*$/.test(password.value.value)) {
        self.report(self.range(password.value), {
          code: 'lagoon/secret-in-plain-text',
          message: `${path}.password is written in plain text in the repository; set it as a container_registry variable in the Lagoon API instead`,
        });
      }
    },
  };
  return {
    kind: 'map',
    fields: {
      'docker-compose-yaml': { kind: 'string', doc: "The docker-compose file that describes the project's services (usually docker-compose.yml)." },
      environment_variables: described('Variables Lagoon adds to every environment.', {
        kind: 'map',
        fields: { git_sha: { kind: 'bool', parseBool: true, doc: 'Expose the deployed commit as `LAGOON_GIT_SHA`.' } },
      }),
      routes: {
        kind: 'map',
        doc: 'The routes of every environment: what Lagoon generates for each service.',
        fields: {
          autogenerate: {
            kind: 'map',
            doc: 'The routes Lagoon generates for each service of each environment.',
            fields: {
              enabled: { kind: 'bool', parseBool: true, doc: 'Whether Lagoon generates routes for the services.' },
              allowPullRequests: { kind: 'bool', parseBool: true, doc: 'Whether pull-request environments get generated routes even when they are disabled.' },
              'tls-acme': { kind: 'bool', parseBool: true, doc: "Whether generated routes get Let's Encrypt certificates (default true)." },
              disableRequestVerification: { kind: 'bool', doc: 'Turn off request verification on generated routes.' },
              insecure: { kind: 'string', enum: ['Allow', 'Redirect', 'None'], doc: 'What plain-HTTP requests get: `Allow` serves them, `Redirect` sends them to HTTPS, `None` refuses them.' },
              prefixes: described('Prefixes that generated routes get extra hostnames for.', { kind: 'list', item: { kind: 'string' } }),
              pathRoutes: described('Paths of the generated routes served by other services.', { kind: 'list', item: pathRoute }),
              ingressClass: { kind: 'string', doc: 'The Kubernetes ingress class of the route.' },
            },
          },
        },
      },
      tasks: described('Commands run during each deployment.', {
        kind: 'map',
        fields: {
          'pre-rollout': described('Tasks run in the running environment before the new images roll out.', { kind: 'list', item: task }),
          'post-rollout': described('Tasks run after the new images have rolled out (database updates, cache clears).', { kind: 'list', item: task }),
        },
      }),
      'backup-retention': described('How many backups of production are kept.', {
        kind: 'map',
        fields: { production: described('Retention of the production environment’s backups.', { kind: 'map', fields: backupFrequencies }) },
      }),
      'backup-schedule': {
        kind: 'map',
        doc: 'When backups run.',
        fields: {
          production: {
            kind: 'string',
            doc: 'The crontab schedule of production backups, as Lagoon standardises it (`M` and `H` let Lagoon pick).',
            check: (value, range) => {
              const result = lagoonSchedule(value, { inPod: false });
              if (result.error) analyzer().report(range, { code: 'lagoon-yml/cron-invalid', message: `backup-schedule.production: ${result.error}` });
            },
          },
        },
      },
      environments: described('Settings per environment (by environment name, usually the branch).', environments),
      production_routes: {
        kind: 'map',
        doc: 'Routes of an active/standby production pair, which move with the environment that is active or standby.',
        fields: {
          // Lagoon reads both as environments (routes, cron jobs, ...).
          active: described('Settings (routes first) that go with whichever environment is active.', environment),
          standby: described('Settings (routes first) that go with whichever environment is standby.', environment),
        },
      },
      'container-registries': { kind: 'map', doc: 'Private container registries the build pulls images from, by name.', fields: {}, other: registry },
      'git-credentials': {
        kind: 'map',
        doc: 'Credentials for private Git repositories the build clones, by name.',
        fields: {},
        other: { kind: 'map', fields: { url: { kind: 'string', doc: 'The repository host the credential is for.' } } },
      },
      'network-policies': { kind: 'any', doc: 'Which other projects and organizations may reach the project’s services.' },
      api: {
        kind: 'string',
        doc: 'The Lagoon API this project talks to (a URL).',
        check: (value, range) =>
          void (
            /^https?:\/\/\S+$/.test(value) ||
            // Lagoon's build does not read it (tools do): a hint of a warning, never an error.
            analyzer().report(range, { code: 'lagoon-yml/invalid-value', severity: 'warning', message: `api is usually a full URL with a scheme, e.g. https://api.lagoon.example.com/graphql` })
          ),
      },
      ssh: {
        kind: 'string',
        doc: 'The Lagoon SSH endpoint, host:port.',
        check: (value, range) => void (/^[\w.-]+:\d+$/.test(value) || analyzer().report(range, { code: 'lagoon-yml/invalid-value', message: 'ssh must be host:port, e.g. ssh.lagoon.example.com:22' })),
      },
      project: { kind: 'string', doc: 'The Lagoon project name, for tools that read this file.' },
      'lagoon-sync': { kind: 'any', doc: 'Settings of lagoon-sync, which copies databases and files between environments.' },
      example: { kind: 'any', doc: 'An example block; Lagoon ignores it.' },
    },
    // A polysite file names projects at the top level, each with its own environments.
    other: { kind: 'map', fields: { environments } },
  };
}

/** Steps into lists and custom checks to the shape they describe. */
function shapeOf(spec: Spec | undefined): Spec | undefined {
  let next = spec;
  while (next && (next.kind === 'list' || next.kind === 'custom')) next = next.kind === 'list' ? next.item : next.shape;
  return next;
}

let specTree: Spec | undefined;

/**
 * The spec of the value at a path of keys in .lagoon.yml (list items are
 * stepped into; names of environments, services and domains match any key).
 */
export function lagoonYmlSpecAt(path: readonly string[]): { spec: Spec; doc?: string } | undefined {
  specTree ??= buildSpec(() => new LagoonYmlAnalyzer(parseYaml('')));
  let spec: Spec | undefined = specTree;
  let doc: string | undefined;
  for (const key of path) {
    const map = shapeOf(spec);
    if (!map || map.kind !== 'map') return undefined;
    spec = map.fields[key] ?? map.other;
    doc = spec?.doc ?? shapeOf(spec)?.doc;
  }
  return spec ? { spec, ...(doc ? { doc } : {}) } : undefined;
}

/** The keys Lagoon reads at a path of keys in .lagoon.yml, each with what it is for; for completion. */
export function lagoonYmlKeysAt(path: readonly string[]): { key: string; doc?: string; kind: Spec['kind'] }[] {
  const map = shapeOf(lagoonYmlSpecAt(path)?.spec);
  if (!map || map.kind !== 'map') return [];
  return Object.entries(map.fields).map(([key, field]) => ({ key, kind: field.kind, ...((field.doc ?? shapeOf(field)?.doc) ? { doc: field.doc ?? shapeOf(field)!.doc! } : {}) }));
}

/**
 * A file named .lagoon.yml that is something else (an OpenShift or Kubernetes
 * template kept below the repository root: `apiVersion`, `kind`, `objects`)
 * and has none of the keys Lagoon reads is not a project's: Lagoon never reads
 * it as one, so neither does Shoreline.
 */
function isLagoonProjectFile(root: YAMLMap): boolean {
  const keys = root.items.map((pair) => keyOf(pair).toLowerCase());
  const top = lagoonYmlSpecAt([])?.spec;
  const lagoonKeys = top?.kind === 'map' ? Object.keys(top.fields).map((key) => key.toLowerCase()) : [];
  if (keys.some((key) => lagoonKeys.includes(key))) return true;
  return !keys.some((key) => key === 'apiversion' || key === 'kind' || key === 'objects');
}

/** Analyses a .lagoon.yml file: keys, tasks, routes (domains checked as DNS names), cron jobs, backups, registries. */
export function analyzeLagoonYml(text: string, source = ''): Diagnostic[] {
  const doc = parseYaml(text, source, { version: '1.1' });
  const analyzer = new LagoonYmlAnalyzer(doc);
  const root = doc.document.contents;
  if (root !== null && root !== undefined) {
    if (!isMap(root)) analyzer.report(nodeRange(doc, root as Node), { code: 'lagoon-yml/invalid-value', message: '.lagoon.yml must be a mapping of settings' });
    else if (!isLagoonProjectFile(root)) return doc.diagnostics;
    else {
      const spec = buildSpec(() => analyzer);
      // Top-level keys Lagoon does not know are only polysite projects when they hold environments.
      for (const pair of root.items) {
        const key = keyOf(pair);
        const fieldName = spec.kind === 'map' ? fieldNameOf(spec.fields, key) : undefined;
        const known = fieldName !== undefined;
        if (!known && !(isMap(pair.value) && findField(pair.value, 'environments'))) {
          const { hint, fix } = suggest(key, spec.kind === 'map' ? Object.keys(spec.fields) : []);
          analyzer.report(keyRange(doc, pair), { code: 'lagoon-yml/unknown-key', message: `'${key}' is not a key Lagoon reads at the top of .lagoon.yml${hint}`, ...fix });
          continue;
        }
        analyzer.walk(pair.value, known && spec.kind === 'map' ? spec.fields[fieldName!]! : spec.kind === 'map' ? spec.other! : spec, key);
      }
    }
  }
  return analyzer.diagnostics.sort(compareDiagnostics);
}
