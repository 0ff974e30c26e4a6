// Stand-ins for the DDNS providers' HTTP APIs, each under its own path prefix,
// faithful to the wire formats and error answers their documentation gives:
// /dyndns2 (the dyndns2 protocol: /nic/update, Basic auth, text answers),
// /duckdns (/update, OK/KO), /desec (REST RRsets, "Token" auth),
// /porkbun (JSON v3, keys in the body), /hetzner (Auth-API-Token, zones and
// records by id), /gandi (LiveDNS v5 RRsets, Bearer) and /digitalocean (v2
// domain records, Bearer). Records live in `records` as "fqdn|TYPE" → values.
import { createServer } from 'node:http';
import aws4 from 'aws4';

export const CREDENTIALS = {
  dyndns2: { username: 'user', password: 'pass' },
  duckdns: 'duck-token',
  desec: 'desec-token',
  porkbun: { apikey: 'pk1_good', secretapikey: 'sk1_good' },
  hetzner: 'hetzner-token',
  gandi: 'gandi-pat',
  digitalocean: 'do-token',
  route53: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
};

/** Whether a request carries a valid AWS Signature Version 4 for route53 with `credentials`: signed again here, as AWS checks it. */
function validSigV4(req, body, credentials) {
  const authorization = req.headers.authorization ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  if (!authorization.includes(`Credential=${credentials.accessKeyId}/`)) return false;
  const headers = Object.fromEntries(signedHeaders.filter((name) => name !== 'host').map((name) => [name, req.headers[name]]));
  const expected = aws4.sign({ host: req.headers.host, path: req.url, method: req.method, service: 'route53', region: 'us-east-1', headers, ...(body ? { body } : {}) }, credentials);
  return expected.headers.Authorization === authorization;
}

/** `zones`: the zones each API knows (records outside them are refused as the real API refuses them). */
export async function startDdnsApis({ zones = ['example.com'], duckdnsDomains = ['myhome'] } = {}) {
  const records = new Map();
  const requests = [];
  const zoneOf = (fqdn) => zones.find((zone) => fqdn === zone || fqdn.endsWith(`.${zone}`));
  const fqdnOf = (sub, zone) => (sub === '' || sub === '@' ? zone : `${sub}.${zone}`);
  const ids = new Map(); // id → "fqdn|TYPE|value"
  let nextId = 1;

  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url, 'http://fake');
    requests.push(`${req.method} ${url.pathname}`);
    const json = (status, value) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const text = (status, value) => res.writeHead(status, { 'content-type': 'text/plain' }).end(value);
    const [, api, ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;

    if (api === 'dyndns2' && path === '/nic/update') {
      const expected = `Basic ${Buffer.from(`${CREDENTIALS.dyndns2.username}:${CREDENTIALS.dyndns2.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return text(401, 'badauth');
      if (!req.headers['user-agent']) return text(200, 'badagent');
      const hostname = url.searchParams.get('hostname') ?? '';
      const ip = url.searchParams.get('myip') ?? '';
      if (!hostname.includes('.')) return text(200, 'notfqdn');
      if (!zoneOf(hostname)) return text(200, 'nohost');
      const key = `${hostname}|${ip.includes(':') ? 'AAAA' : 'A'}`;
      if (records.get(key)?.[0] === ip) return text(200, `nochg ${ip}`);
      records.set(key, [ip]);
      return text(200, `good ${ip}`);
    }

    if (api === 'duckdns' && path === '/update') {
      const domain = url.searchParams.get('domains');
      if (url.searchParams.get('token') !== CREDENTIALS.duckdns || !duckdnsDomains.includes(domain)) return text(200, 'KO');
      for (const [param, type] of [
        ['ip', 'A'],
        ['ipv6', 'AAAA'],
      ])
        if (url.searchParams.get(param)) records.set(`${domain}.duckdns.org|${type}`, [url.searchParams.get(param)]);
      return text(200, 'OK');
    }

    if (api === 'desec') {
      if (req.headers.authorization !== `Token ${CREDENTIALS.desec}`) return json(401, { detail: 'Invalid token.' });
      let match = /^\/api\/v1\/domains\/([^/]+)\/rrsets\/$/.exec(path);
      if (match && req.method === 'PUT') {
        const zone = match[1];
        if (!zones.includes(zone)) return json(404, { detail: 'Not found.' });
        const sets = JSON.parse(body);
        if (!Array.isArray(sets)) return json(400, { non_field_errors: ['Expected a list of items'] });
        for (const set of sets) {
          if (set.ttl < 3600) return json(400, [{ ttl: [`Ensure this value is greater than or equal to 3600.`] }]);
          records.set(`${fqdnOf(set.subname, zone)}|${set.type}`, set.records);
        }
        return json(200, sets);
      }
      match = /^\/api\/v1\/domains\/([^/]+)\/rrsets\/([^/]+)\/([A-Z]+)\/$/.exec(path);
      if (match && req.method === 'GET') {
        const values = records.get(`${fqdnOf(decodeURIComponent(match[2]), match[1])}|${match[3]}`);
        if (!values) return json(404, { detail: 'Not found.' });
        return json(200, { subname: match[2] === '@' ? '' : match[2], type: match[3], ttl: 3600, records: values });
      }
    }

    if (api === 'porkbun') {
      const fields = body ? JSON.parse(body) : {};
      if (fields.apikey !== CREDENTIALS.porkbun.apikey || fields.secretapikey !== CREDENTIALS.porkbun.secretapikey) return json(400, { status: 'ERROR', message: 'Invalid API key. (002)' });
      let match = /^\/api\/json\/v3\/dns\/(retrieveByNameType|editByNameType)\/([^/]+)\/([A-Z]+)(?:\/([^/]+))?$/.exec(path);
      if (match) {
        const [, command, zone, type, sub = ''] = match;
        if (!zones.includes(zone)) return json(400, { status: 'ERROR', message: 'Invalid domain.' });
        const key = `${fqdnOf(sub, zone)}|${type}`;
        if (command === 'retrieveByNameType')
          return json(200, { status: 'SUCCESS', records: (records.get(key) ?? []).map((content, index) => ({ id: String(index + 1), name: fqdnOf(sub, zone), type, content, ttl: '600' })) });
        if (!records.has(key)) return json(400, { status: 'ERROR', message: 'Could not edit record: no record of that name and type.' });
        records.set(key, [fields.content]);
        return json(200, { status: 'SUCCESS' });
      }
      match = /^\/api\/json\/v3\/dns\/create\/([^/]+)$/.exec(path);
      if (match) {
        if (Number(fields.ttl) < 600) return json(400, { status: 'ERROR', message: 'TTL must be at least 600.' });
        const key = `${fqdnOf(fields.name ?? '', match[1])}|${fields.type}`;
        records.set(key, [...(records.get(key) ?? []), fields.content]);
        return json(200, { status: 'SUCCESS', id: nextId++ });
      }
    }

    if (api === 'hetzner') {
      if (req.headers['auth-api-token'] !== CREDENTIALS.hetzner) return json(401, { message: 'Invalid authentication credentials' });
      if (path === '/api/v1/zones') {
        const name = url.searchParams.get('name');
        return json(200, { zones: zones.filter((zone) => zone === name).map((zone) => ({ id: `z-${zone}`, name: zone })), meta: { pagination: { page: 1, per_page: 100, total_entries: 1 } } });
      }
      const zoneById = (id) => zones.find((zone) => `z-${zone}` === id);
      const listed = () =>
        [...ids.entries()].map(([id, entry]) => {
          const [fqdn, type, value] = entry.split('|');
          const zone = zoneOf(fqdn);
          return { id, type, name: fqdn === zone ? '@' : fqdn.slice(0, -(zone.length + 1)), value, zone_id: `z-${zone}`, ttl: 60 };
        });
      if (path === '/api/v1/records' && req.method === 'GET') return json(200, { records: listed().filter((entry) => entry.zone_id === url.searchParams.get('zone_id')) });
      const write = (id, fields) => {
        const zone = zoneById(fields.zone_id);
        if (!zone) return json(422, { error: { message: 'zone not found', code: 422 } });
        const fqdn = fqdnOf(fields.name, zone);
        const old = ids.get(id);
        ids.set(id, `${fqdn}|${fields.type}|${fields.value}`);
        if (old) records.set(`${old.split('|')[0]}|${old.split('|')[1]}`, []);
        records.set(`${fqdn}|${fields.type}`, [fields.value]);
        return json(200, { record: { id, ...fields } });
      };
      if (path === '/api/v1/records' && req.method === 'POST') return write(`r${nextId++}`, JSON.parse(body));
      const match = /^\/api\/v1\/records\/([^/]+)$/.exec(path);
      if (match && req.method === 'PUT') return ids.has(match[1]) ? write(match[1], JSON.parse(body)) : json(404, { error: { message: 'record not found', code: 404 } });
    }

    if (api === 'gandi') {
      if (req.headers.authorization !== `Bearer ${CREDENTIALS.gandi}`)
        return json(401, { code: 401, message: 'The server could not verify that you authorized to access the document you requested.', object: 'HTTPUnauthorized', cause: 'Unauthorized' });
      const match = /^\/v5\/livedns\/domains\/([^/]+)\/records\/([^/]+)\/([A-Z]+)$/.exec(path);
      if (match) {
        const [, zone, name, type] = match;
        if (!zones.includes(zone)) return json(404, { code: 404, message: 'The resource could not be found.', object: 'HTTPNotFound', cause: 'Not Found' });
        const key = `${fqdnOf(decodeURIComponent(name), zone)}|${type}`;
        if (req.method === 'GET')
          return records.has(key)
            ? json(200, { rrset_name: name, rrset_type: type, rrset_ttl: 300, rrset_values: records.get(key) })
            : json(404, { code: 404, message: "Can't find the DNS record", object: 'dns-record', cause: 'Not Found' });
        if (req.method === 'PUT') {
          const fields = JSON.parse(body);
          if (fields.rrset_ttl < 300)
            return json(400, {
              code: 400,
              message: 'Validation error',
              object: 'HTTPBadRequest',
              cause: 'Bad Request',
              errors: [{ location: 'body', name: 'rrset_ttl', description: 'must be >= 300' }],
            });
          records.set(key, fields.rrset_values);
          return json(201, { message: 'DNS Record Created' });
        }
      }
    }

    if (api === 'digitalocean') {
      if (req.headers.authorization !== `Bearer ${CREDENTIALS.digitalocean}`) return json(401, { id: 'Unauthorized', message: 'Unable to authenticate you' });
      let match = /^\/v2\/domains\/([^/]+)\/records$/.exec(path);
      const entries = (zone) =>
        [...ids.entries()]
          .map(([id, entry]) => ({ id: Number(id), fqdn: entry.split('|')[0], type: entry.split('|')[1], data: entry.split('|')[2] }))
          .filter((entry) => zoneOf(entry.fqdn) === zone)
          .map((entry) => ({ id: entry.id, type: entry.type, name: entry.fqdn === zone ? '@' : entry.fqdn.slice(0, -(zone.length + 1)), data: entry.data, ttl: 60, fqdn: entry.fqdn }));
      const save = (id, zone, fields) => {
        const fqdn = fqdnOf(fields.name, zone);
        ids.set(String(id), `${fqdn}|${fields.type}|${fields.data}`);
        records.set(
          `${fqdn}|${fields.type}`,
          entries(zone)
            .filter((entry) => entry.fqdn === fqdn && entry.type === fields.type)
            .map((entry) => entry.data),
        );
      };
      if (match) {
        const zone = match[1];
        if (!zones.includes(zone)) return json(404, { id: 'not_found', message: 'The resource you were accessing could not be found.' });
        if (req.method === 'GET') {
          const type = url.searchParams.get('type');
          const name = url.searchParams.get('name');
          return json(200, { domain_records: entries(zone).filter((entry) => (!type || entry.type === type) && (!name || entry.fqdn === name)), meta: { total: 1 } });
        }
        if (req.method === 'POST') {
          const fields = JSON.parse(body);
          if (fields.ttl < 30) return json(422, { id: 'unprocessable_entity', message: 'TTL must be at least 30' });
          const id = 1000 + nextId++;
          save(id, zone, fields);
          return json(201, { domain_record: { id, ...fields } });
        }
      }
      match = /^\/v2\/domains\/([^/]+)\/records\/(\d+)$/.exec(path);
      if (match && req.method === 'PUT') {
        if (!ids.has(match[2])) return json(404, { id: 'not_found', message: 'The resource you were accessing could not be found.' });
        const fields = JSON.parse(body);
        save(match[2], match[1], fields);
        return json(200, { domain_record: { id: Number(match[2]), ...fields } });
      }
    }
    if (api === 'route53') {
      const xml = (status, text) => res.writeHead(status, { 'content-type': 'text/xml' }).end(`<?xml version="1.0"?>\n${text}`);
      const error = (status, code, message) =>
        xml(
          status,
          `<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
        );
      if (!req.headers.authorization?.includes(`Credential=${CREDENTIALS.route53.accessKeyId}/`)) return error(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      if (!validSigV4(req, body, CREDENTIALS.route53)) return error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
      if (path === '/2013-04-01/hostedzonesbyname') {
        const hosted = zones.map(
          (zone) =>
            `<HostedZone><Id>/hostedzone/Z${zone.replace(/\W/g, '').toUpperCase()}</Id><Name>${zone}.</Name><CallerReference>c</CallerReference><Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone>`,
        );
        return xml(
          200,
          `<ListHostedZonesByNameResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones>${hosted.join('')}</HostedZones><IsTruncated>false</IsTruncated><MaxItems>10</MaxItems></ListHostedZonesByNameResponse>`,
        );
      }
      const match = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/.exec(path);
      const zone = match && zones.find((candidate) => `Z${candidate.replace(/\W/g, '').toUpperCase()}` === match[1]);
      if (match && !zone) return error(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${match[1]}`);
      if (match && req.method === 'GET') {
        // Record sets in order from (name, type): the first one may be another's.
        const name = (url.searchParams.get('name') ?? '').replace(/\.$/, '');
        const type = url.searchParams.get('type');
        const sets = [...records.entries()].filter(([key, values]) => values.length && zoneOf(key.split('|')[0]) === zone).sort(([a], [b]) => (a < b ? -1 : 1));
        const from = sets.filter(([key]) => key >= `${name}|${type}`);
        const listed = from
          .slice(0, 1)
          .map(
            ([key, values]) =>
              `<ResourceRecordSet><Name>${key.split('|')[0]}.</Name><Type>${key.split('|')[1]}</Type><TTL>60</TTL><ResourceRecords>${values.map((value) => `<ResourceRecord><Value>${value}</Value></ResourceRecord>`).join('')}</ResourceRecords></ResourceRecordSet>`,
          );
        return xml(
          200,
          `<ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ResourceRecordSets>${listed.join('')}</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>`,
        );
      }
      if (match && req.method === 'POST') {
        const change = /<Action>(\w+)<\/Action>\s*<ResourceRecordSet>\s*<Name>([^<]+)<\/Name>\s*<Type>(\w+)<\/Type>\s*<TTL>(\d+)<\/TTL>\s*<ResourceRecords>([\s\S]*?)<\/ResourceRecords>/.exec(body);
        if (!change || change[1] !== 'UPSERT') return error(400, 'InvalidChangeBatch', 'The request is not a valid change batch.');
        const fqdn = change[2].replace(/\.$/, '');
        if (zoneOf(fqdn) !== zone) return error(400, 'InvalidChangeBatch', `RRSet with DNS name ${change[2]} is not permitted in zone ${zone}.`);
        records.set(
          `${fqdn}|${change[3]}`,
          [...change[5].matchAll(/<Value>([^<]+)<\/Value>/g)].map((value) => value[1]),
        );
        return xml(
          200,
          `<ChangeResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeInfo><Id>/change/C1</Id><Status>PENDING</Status><SubmittedAt>2026-01-01T00:00:00Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`,
        );
      }
    }
    json(404, { message: `no such endpoint: ${req.method} ${url.pathname}` });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, records, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}
