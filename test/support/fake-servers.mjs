// Local stand-ins for services the tests cannot reach, faithful to their wire
// formats: the DreamHost API (query-string commands, JSON results and its
// error strings), Lagoon's GraphQL API built from Lagoon's own schema (so every
// query is validated against the real API), and a Terraform provider registry.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { buildSchema, graphql } from 'graphql';

function listen(handler) {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => (server.close(done), server.closeAllConnections())) })),
  );
}

/** Behaviours a test can inject: answers with an HTTP status, or a stall. */
function faults(state, res) {
  const fault = state.faults.shift();
  if (!fault) return false;
  if (fault.stallMs) setTimeout(() => res.end(), fault.stallMs);
  else {
    res.writeHead(fault.status, { 'content-type': 'text/plain' });
    res.end('fault');
  }
  return true;
}

/** The DreamHost API: GET ?key=…&cmd=dns-…&format=json. New records show in the list after `propagationMs`. */
export async function startDreamhostFake({ key = 'TESTKEY123', records = [], propagationMs = 0 } = {}) {
  const state = {
    requests: [],
    faults: [],
    records: records.map((record) => ({ account_id: '1', zone: record.record.split('.').slice(-2).join('.'), comment: '', editable: '1', ...record, visibleAt: 0 })),
  };
  const send = (res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const listening = await listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    const params = Object.fromEntries(url.searchParams);
    state.requests.push(params);
    if (faults(state, res)) return;
    if (!params.key) return send(res, { result: 'error', data: 'no_key' });
    if (params.key !== key) return send(res, { result: 'error', data: 'invalid_key' });
    if (params.format !== 'json') return send(res, { result: 'error', data: 'this fake speaks format=json only' });
    const now = Date.now();
    const visible = () => state.records.filter((record) => record.visibleAt <= now && !record.removedAt).map(({ visibleAt, removedAt, ...record }) => record);
    switch (params.cmd) {
      case 'dns-list_records':
        return send(res, { result: 'success', data: visible() });
      case 'dns-add_record': {
        for (const name of ['record', 'type', 'value']) if (!params[name]) return send(res, { result: 'error', data: `no_${name}` });
        if (!['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'TXT', 'SRV', 'NAPTR'].includes(params.type)) return send(res, { result: 'error', data: 'invalid_type' });
        const existing = state.records.filter((record) => !record.removedAt && record.record === params.record);
        if (params.type === 'CNAME' && existing.length) return send(res, { result: 'error', data: 'CNAME_must_be_only_record' });
        if (existing.some((record) => record.type === 'CNAME')) return send(res, { result: 'error', data: 'CNAME_already_on_record' });
        const same = existing.find((record) => record.type === params.type && record.value === params.value);
        if (same) return send(res, { result: 'error', data: same.editable === '1' ? 'record_already_exists_remove_first' : 'record_already_exists_not_editable' });
        state.records.push({
          account_id: '1',
          zone: params.record.split('.').slice(-2).join('.'),
          record: params.record,
          type: params.type,
          value: params.value,
          comment: params.comment ?? '',
          editable: '1',
          visibleAt: now + propagationMs,
        });
        return send(res, { result: 'success', data: 'record_added' });
      }
      case 'dns-remove_record': {
        const match = state.records.find((record) => !record.removedAt && record.record === params.record && record.type === params.type && record.value === params.value);
        if (!match) return send(res, { result: 'error', data: 'no_such_value' });
        if (match.editable !== '1') return send(res, { result: 'error', data: 'not_editable' });
        setTimeout(() => (match.removedAt = Date.now()), propagationMs);
        return send(res, { result: 'success', data: 'record_removed' });
      }
      default:
        return send(res, { result: 'error', data: 'invalid_cmd' });
    }
  });
  return { ...listening, state, key };
}

const LAGOON_SCHEMA = buildSchema(readFileSync(new URL('../fixtures/lagoon/api-schema.graphql', import.meta.url), 'utf8'));

function verifyJwt(token, secret) {
  const [header, payload, signature] = token.split('.');
  if (!signature) return false;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  if (expected !== signature) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  return claims.exp > Date.now() / 1000;
}

/** Lagoon's GraphQL API from Lagoon's schema; accepts a static token or JWTs signed with `jwtSecret`. */
export async function startLagoonFake({ token = 'lagoon-token', jwtSecret, deployTargets = [], projects = [], version = 'v2.30.1' } = {}) {
  const state = { queries: [], faults: [], tokensSeen: [] };
  const rootValue = {
    lagoonVersion: () => version,
    allKubernetes: () => deployTargets,
    allProjects: () => projects.map(({ environments, ...project }) => project),
    projectByName: ({ name }) => {
      const project = projects.find((candidate) => candidate.name === name);
      return project ? { ...project, environments: () => project.environments ?? [] } : null;
    },
    getEnvVariablesByProjectEnvironmentName: ({ input }) => projects.find((candidate) => candidate.name === input.project)?.variables ?? [],
  };
  const listening = await listen(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (faults(state, res)) return;
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    state.tokensSeen.push(bearer);
    if (!(bearer === token || (jwtSecret && verifyJwt(bearer, jwtSecret)))) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ errors: [{ message: 'Unauthorized - Bearer Token Required' }] }));
    }
    const { query, variables } = JSON.parse(body);
    state.queries.push(query);
    const result = await graphql({ schema: LAGOON_SCHEMA, source: query, variableValues: variables, rootValue });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result));
  });
  return { ...listening, state };
}

/** A provider registry (service discovery and versions), the protocol Terraform uses. */
export async function startRegistryFake({ providers = {} } = {}) {
  const state = { requests: [], faults: [] };
  const listening = await listen((req, res) => {
    state.requests.push(req.url);
    if (faults(state, res)) return;
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/terraform.json') return json(200, { 'providers.v1': '/v1/providers/', 'modules.v1': '/v1/modules/' });
    const match = req.url.match(/^\/v1\/providers\/([^/]+)\/([^/]+)\/versions$/);
    const versions = match && providers[`${match[1]}/${match[2]}`];
    if (!versions) return json(404, { errors: ['Not Found'] });
    return json(200, { id: `${match[1]}/${match[2]}`, versions: versions.map((version) => ({ version, protocols: ['5.0'], platforms: [{ os: 'linux', arch: 'amd64' }] })) });
  });
  return { ...listening, state };
}
