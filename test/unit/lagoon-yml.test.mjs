import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeLagoonYml, goDurationSeconds, lagoonSchedule } from '../../core/dist/index.js';

const codes = (text) => analyzeLagoonYml(text, '.lagoon.yml').map((d) => `${d.code}@${d.range.start.line}`);

const VALID = `docker-compose-yaml: docker-compose.yml
environment_variables:
  git_sha: true
routes:
  autogenerate:
    enabled: false
    allowPullrequests: true
    insecure: Redirect
    prefixes: [www, de]
tasks:
  pre-rollout:
    - run:
        name: backup
        command: drush sql-dump > /tmp/dump.sql
        service: cli
  post-rollout:
    - run:
        name: deploy
        command: |
          drush deploy
          drush cr
        service: cli
        shell: bash
        when: LAGOON_ENVIRONMENT_TYPE == "production"
backup-retention:
  production:
    monthly: 1
    weekly: 6
    daily: 7
    hourly: 0
backup-schedule:
  production: "M H(22-2) * * *"
environments:
  main:
    routes:
      - nginx:
          - example.com
          - "www.example.com":
              tls-acme: true
              insecure: Redirect
              hstsEnabled: true
              hstsMaxAge: 31536000
              monitoring-path: /health
              pathRoutes:
                - toService: node
                  path: /api
    types:
      mariadb: mariadb-single
    cronjobs:
      - name: drush cron
        schedule: "M/15 * * * *"
        command: drush cron
        service: cli
      - name: nightly
        schedule: "M H(1-3) * * 1-5"
        command: drush report
        service: cli
  feature/new-ui:
    autogenerateRoutes: true
production_routes:
  active:
    routes:
      - nginx:
          - active.example.com
container-registries:
  docker-hub:
    username: deploy
  mine:
    url: registry.example.com
    username: deploy
    password: REGISTRY_MINE_PASSWORD
`;

describe('.lagoon.yml', () => {
  it('accepts a complete, valid file', () => {
    assert.deepEqual(
      codes(VALID).filter((code) => !code.startsWith('lagoon-yml/cron-in-pod')),
      [],
    );
    assert.deepEqual(codes(VALID), ['lagoon-yml/cron-in-pod@50']);
  });
  it('flags unknown keys with suggestions, at every level', () => {
    const found = analyzeLagoonYml('docker-compose-yml: x\nroutes:\n  autogenrate: {}\nenvironments:\n  main:\n    cronjob: []\n');
    assert.deepEqual(
      found.map((d) => `${d.code}@${d.range.start.line}`),
      ['lagoon-yml/unknown-key@0', 'lagoon-yml/unknown-key@2', 'lagoon-yml/unknown-key@5'],
    );
    assert.match(found[0].message, /did you mean 'docker-compose-yaml'/);
    assert.match(found[2].message, /did you mean 'cronjobs'/);
  });
  it('accepts polysite files (projects at the top level)', () => {
    assert.deepEqual(codes('poly-one:\n  environments:\n    main:\n      routes:\n        - nginx:\n            - one.example.com\n'), []);
  });
  it('checks tasks, types and values', () => {
    const text =
      'tasks:\n  post-rollout:\n    - run:\n        name: x\n        command: drush cr\n    - name: flat\nenvironment_variables:\n  git_sha: "yes"\nroutes:\n  autogenerate:\n    insecure: redirect\n';
    assert.deepEqual(codes(text), ['lagoon-yml/missing-key@3', 'lagoon-yml/missing-key@5', 'lagoon-yml/unknown-key@5', 'lagoon-yml/invalid-value@7', 'lagoon-yml/invalid-value@10']);
  });
  it("reads values as Lagoon does: YAML 1.1 booleans, Go's ParseBool where Lagoon converts, empty values, any key case", () => {
    assert.deepEqual(codes('routes:\n  autogenerate:\n    enabled: "false"\n    tls-acme: "true"\n    allowPullRequests: yes\nenvironment_variables:\n  git_sha: "1"\n'), []);
    assert.deepEqual(codes('environments:\n  main:\n    autogenerateRoutes: on\n    routes:\n      - nginx:\n          - www.example.com:\n              tls-acme: "false"\n'), []);
    assert.deepEqual(codes('tasks:\n  pre-rollout:\nenvironments:\n  main:\n'), []);
    assert.deepEqual(codes('Docker-Compose-Yaml: docker-compose.yml\nRoutes:\n  Autogenerate:\n    Enabled: true\n'), []);
    // Where Lagoon does not convert, a quoted boolean, or an unquoted number or yes where text belongs, fails the build.
    assert.deepEqual(codes('environments:\n  main:\n    autogenerateRoutes: "false"\n'), ['lagoon-yml/invalid-value@2']);
    assert.deepEqual(codes('tasks:\n  post-rollout:\n    - run:\n        name: x\n        command: yes\n        service: cli\n'), ['lagoon-yml/invalid-value@4']);
    assert.deepEqual(codes('environments:\n  main:\n    cronjobs:\n      - name: x\n        schedule: 5\n        command: a\n        service: cli\n'), ['lagoon-yml/invalid-value@4']);
  });
  it('keys Lagoon does not read are warnings, never offered', () => {
    const found = analyzeLagoonYml('environments:\n  main:\n    routes:\n      - nginx:\n          - a.example.com:\n              wildcard-apex: true\n              request-verification: false\n');
    assert.deepEqual(
      found.map((d) => `${d.code}:${d.severity}`),
      ['lagoon-yml/unknown-key:warning', 'lagoon-yml/unknown-key:warning'],
    );
    assert.match(found[0].message, /wildcardApex/);
  });
  it('checks route domains as DNS names, and disallowed annotations', () => {
    const text =
      'environments:\n  main:\n    routes:\n      - nginx:\n          - "bad_domain.example.com"\n          - 192.0.2.1\n          - ok.example.com:\n              annotations:\n                nginx.ingress.kubernetes.io/use-regex: "true"\n';
    assert.deepEqual(codes(text), ['dns/target-invalid@4', 'dns/target-is-ip@5', 'lagoon-yml/disallowed-annotation@8']);
  });
  it('route domains Lagoon refuses, and wildcards as Lagoon takes them', () => {
    const routes = (domains) => `environments:\n  main:\n    routes:\n      - nginx:\n${domains}`;
    assert.deepEqual(codes(routes('          - "*.example.com"\n          - example.com.\n          - WWW.Example.com\n')), ['dns/target-invalid@4', 'dns/target-invalid@5']);
    assert.deepEqual(codes(routes('          - example.com:\n              wildcard: true\n              tls-acme: false\n')), []);
    assert.deepEqual(codes(routes('          - example.com:\n              wildcard: true\n')), ['lagoon-yml/invalid-value@5']);
    assert.deepEqual(codes(routes('          - example.com:\n              wildcard: true\n              tls-acme: "false"\n              alternativenames:\n                - www.example.com\n')), [
      'lagoon-yml/invalid-value@5',
    ]);
    assert.deepEqual(codes(routes('          - example.com:\n              annotations:\n                a/b: 5\n                c/d:\n                  e: f\n')), [
      'lagoon-yml/invalid-value@6',
      'lagoon-yml/invalid-value@8',
    ]);
  });
  it('a template that only has the name .lagoon.yml is not read as one', () => {
    assert.deepEqual(analyzeLagoonYml('apiVersion: v1\nkind: Template\nobjects:\n  - kind: Route\nparameters: []\n'), []);
    // A project file with a stray key is still a project file.
    assert.ok(analyzeLagoonYml('docker-compose-yaml: docker-compose.yml\nkind: x\n').some((d) => d.code === 'lagoon-yml/unknown-key'));
  });
  it('an insecure value Lagoon does not act on is a warning (the build goes on without a redirect)', () => {
    const [finding] = analyzeLagoonYml('routes:\n  autogenerate:\n    insecure: redirect\n');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /did you mean 'Redirect'/);
  });
  it('api without a scheme is a warning at most', () => {
    const [finding] = analyzeLagoonYml('api: api.lagoon.example.com\n');
    assert.equal(finding.severity, 'warning');
  });
  it('warns about registry passwords in the repository', () => {
    assert.deepEqual(codes('container-registries:\n  r:\n    password: hunter2\n'), ['lagoon/secret-in-plain-text@2']);
  });
  it('a multi-line cron command is an error wherever the job runs (lagoon validate refuses it)', () => {
    for (const schedule of ['*/5 * * * *', 'M 3 * * *']) {
      const found = analyzeLagoonYml(`environments:\n  main:\n    cronjobs:\n      - name: x\n        schedule: "${schedule}"\n        command: |\n          a\n          b\n        service: cli\n`);
      assert.ok(
        found.some((d) => d.code === 'lagoon-yml/invalid-value' && d.severity === 'error' && /multi-line/.test(d.message)),
        schedule,
      );
    }
    // A trailing newline (block scalar `|`) is trimmed, as Lagoon trims it.
    assert.deepEqual(analyzeLagoonYml('environments:\n  main:\n    cronjobs:\n      - name: x\n        schedule: "M 3 * * *"\n        command: |\n          one line\n        service: cli\n'), []);
  });
  it('a cron job without a service never runs (a warning); with one, a missing schedule fails the build', () => {
    const found = analyzeLagoonYml(
      'environments:\n  main:\n    cronjobs:\n      - name: x\n        command: a\n        schedule: "M * * * *"\n      - name: second\n        command: a\n        service: cli\n',
    );
    assert.deepEqual(
      found.map((d) => `${d.code}:${d.severity}@${d.range.start.line}`),
      ['lagoon-yml/missing-key:warning@3', 'lagoon-yml/missing-key:error@6'],
    );
  });
});

describe("cron schedules as Lagoon's build reads them (internal/cron of build-deploy-tool)", () => {
  // [schedule, error, in pod, median minutes between runs]
  const cases = [
    ['M * * * *', undefined, false, 60],
    ['H * * * *', undefined, false, 60],
    ['M/15 * * * *', undefined, true, 15],
    ['H/20 * * * *', undefined, true, 20],
    ['*/5 * * * *', undefined, true, 5],
    ['* * * * *', undefined, true, 1],
    ['0,30 * * * *', undefined, false, 30],
    ['*/29 * * * *', undefined, true, 29],
    ['*/5 9-17 * * *', undefined, true, 5],
    ['*/5 * * * 1-5', undefined, false],
    ['M H(2-4) * * *', undefined, false, 1440],
    ['M H(22-2) * * *', undefined, false, 1440],
    ['M H/6 * * *', undefined, false, 360],
    ['M H * * mon-fri', undefined, false],
    ['0 0 1 jan *', undefined, false],
    ['*/60 * * * *', undefined, false, 60],
    ['  */5 * * * *  ', undefined, true, 5],
    ['M * * *', /has 4 fields; a schedule has 5/],
    ['*/5  * * * *', /single spaces/],
    ['61 * * * *', /above the largest minute/],
    ['M 24 * * *', /above the largest hour/],
    ['M H(22-25) * * *', /not a valid hour/],
    ['M * 0 * *', /below the smallest day of month/],
    ['M * * 13 *', /above the largest month/],
    ['0 0 * * 7', /above the largest day of week.*Sunday is 0/],
    ['0 5-1 * * *', /starts after it ends/],
    ['M,30 * * * *', /not a valid minute/],
    ['M/60 * * * *', /not a valid minute/],
    ['0 H/24 * * *', /not a valid hour/],
    ['*/0 * * * *', /step .* is 0/],
    ['5/15 * * * *', /cannot tell how often/],
    ['*/100 * * * *', /cannot tell how often/],
    ['@daily', /1 fields/],
  ];
  for (const [schedule, error, inPod, minutes] of cases) {
    it(`'${schedule}'`, () => {
      const result = lagoonSchedule(schedule);
      if (error) assert.match(result.error ?? '', error);
      else {
        assert.equal(result.error, undefined);
        assert.equal(result.inPod, inPod);
        if (minutes !== undefined) assert.equal(result.medianMinutes, minutes);
      }
    });
  }
  it("inPod set on the job decides where it runs, and spares the schedule Lagoon's own decision", () => {
    assert.deepEqual(lagoonSchedule('5/15 * * * *', { inPod: true }), { standardized: '5/15 * * * *', inPod: true });
  });
  it('Go durations for timeouts', () => {
    assert.equal(goDurationSeconds('4h'), 14400);
    assert.equal(goDurationSeconds('1h30m'), 5400);
    assert.equal(goDurationSeconds('1.5h'), 5400);
    assert.equal(goDurationSeconds('0'), 0);
    assert.equal(goDurationSeconds('4 hours'), undefined);
    assert.equal(goDurationSeconds('90'), undefined);
  });
});

describe('.lagoon.yml cron jobs and backups as Lagoon builds them', () => {
  const env = (jobs) => `environments:\n  main:\n    cronjobs:\n${jobs}`;
  const job = (name, schedule, extra = '') => `      - name: ${name}\n        schedule: "${schedule}"\n        command: drush cron\n        service: cli\n${extra}`;
  it('duplicate cron job names in an environment are an error', () => {
    const found = analyzeLagoonYml(env(job('a', 'M * * * *') + job('a', 'M 2 * * *')));
    assert.deepEqual(
      found.map((d) => `${d.code}@${d.range.start.line}`),
      ['lagoon-yml/invalid-value@7'],
    );
  });
  it('cron job keys match without regard to case, as everywhere in .lagoon.yml', () => {
    assert.deepEqual(analyzeLagoonYml(env('      - Name: a\n        Schedule: "M * * * *"\n        Command: drush cron\n        Service: cli\n')), []);
  });
  it('inPod and timeout are keys Lagoon reads', () => {
    assert.deepEqual(analyzeLagoonYml(env(job('a', '5/15 * * * *', '        inPod: false\n        timeout: 30m\n'))), []);
    assert.deepEqual(
      analyzeLagoonYml(env(job('a', 'M * * * *', '        timeout: 25h\n'))).map((d) => d.code),
      ['lagoon-yml/invalid-value'],
    );
  });
  it('a backup schedule is any schedule Lagoon standardises', () => {
    assert.deepEqual(analyzeLagoonYml('backup-schedule:\n  production: "15 H(22-2) * * *"\n'), []);
    assert.deepEqual(
      analyzeLagoonYml('backup-schedule:\n  production: "M H * * 7"\n').map((d) => d.code),
      ['lagoon-yml/cron-invalid'],
    );
  });
});
