// A local stand-in for a public Terraform registry (registry.terraform.io):
// service discovery, the provider registry protocol with real zip archives
// and a SHA256SUMS signed by an OpenPGP key made here, and the module
// registry protocol (204 + X-Terraform-Get) with zip archives. Faults can be
// switched on per test: corrupt archives, stalls, outages, a hung upstream
// (no answer at all), a trickling one and one paced at a bandwidth.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import * as openpgp from 'openpgp';
import yazl from 'yazl';

function zipOf(files) {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(files))
      zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { mode: 0o100755, mtime: new Date('2026-01-01T00:00:00Z'), compress: content.length < 1024 * 1024 });
    zip.end();
    const chunks = [];
    zip.outputStream
      .on('data', (chunk) => chunks.push(chunk))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

let keyPromise;
/** One signing key per test process: generating keys is the slow part. */
export function signingKey() {
  keyPromise ??= openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Shoreline Test', email: 'test@shoreline.invalid' }], format: 'object' });
  return keyPromise;
}

/**
 * providers: { 'namespace/type': ['1.0.0', ...] }; every version is built for
 * `platforms` (payload: a Buffer stored in every provider zip, for benchmarks). modules: { 'namespace/name/system': ['0.1.0', ...] }.
 */
export async function startUpstreamRegistry({
  providers = { 'shoreline-test/echo': ['1.0.0', '1.1.0'] },
  modules = { 'shoreline-test/site/dreamhost': ['0.1.0'] },
  platforms = ['linux_amd64', 'darwin_arm64'],
  payload,
} = {}) {
  const { privateKey, publicKey } = await signingKey();
  const armoredPublic = publicKey.armor();
  const files = new Map(); // path → { body, type }
  const state = {
    requests: [],
    counts: new Map(),
    corrupt: new Set(),
    stall: new Set(),
    hang: false,
    trickle: new Set(),
    delayed: new Set(),
    rates: new Map(),
    drip: new Set(),
    down: false,
    lastModuleLocation: undefined,
    /** Where service discovery says the provider registry protocol is (registries may put it anywhere). */
    providersPath: '/v1/providers/',
  };

  for (const [address, versions] of Object.entries(providers)) {
    const [namespace, type] = address.split('/');
    for (const version of versions) {
      const lines = [];
      for (const platform of platforms) {
        const filename = `terraform-provider-${type}_${version}_${platform}.zip`;
        const zip = await zipOf({ [`terraform-provider-${type}_v${version}`]: `#!/bin/sh\necho ${type} ${version} ${platform}\n`, LICENSE: 'MIT\n', ...(payload ? { 'payload.bin': payload } : {}) });
        files.set(`/releases/${type}/${version}/${filename}`, { body: zip, type: 'application/zip' });
        lines.push(`${sha256(zip)}  ${filename}`);
      }
      const sums = Buffer.from(`${lines.join('\n')}\n`);
      const signature = await openpgp.sign({ message: await openpgp.createMessage({ binary: sums }), signingKeys: privateKey, detached: true, format: 'binary' });
      files.set(`/releases/${type}/${version}/terraform-provider-${type}_${version}_SHA256SUMS`, { body: sums, type: 'text/plain' });
      files.set(`/releases/${type}/${version}/terraform-provider-${type}_${version}_SHA256SUMS.sig`, { body: Buffer.from(signature), type: 'application/octet-stream' });
      files.set(`/meta/${namespace}/${type}`, { versions });
    }
  }
  for (const [address, versions] of Object.entries(modules)) {
    for (const version of versions) {
      const zip = await zipOf({ 'main.tf': `# ${address} ${version}\nvariable "zone" {\n  type = string\n}\n\noutput "zone" {\n  value = var.zone\n}\n` });
      files.set(`/archives/${address.replaceAll('/', '-')}-${version}.zip`, { body: zip, type: 'application/zip' });
    }
  }

  const server = createServer((req, res) => {
    let path = req.url.split('?')[0];
    state.requests.push(path);
    state.counts.set(path, (state.counts.get(path) ?? 0) + 1);
    if (state.down) return res.writeHead(503).end('down for maintenance');
    // A hung upstream: the connection is accepted, no answer ever comes.
    if (state.hang) return;
    const json = (status, body, headers = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (path === '/.well-known/terraform.json') return json(200, { 'providers.v1': state.providersPath, 'modules.v1': '/v1/modules/' });
    // The provider protocol answers only where discovery says it is.
    if (state.providersPath !== '/v1/providers/') {
      if (path.startsWith('/v1/providers/')) return json(404, { errors: ['Not Found'] });
      if (path.startsWith(state.providersPath)) path = `/v1/providers/${path.slice(state.providersPath.length)}`;
    }
    let match = /^\/v1\/providers\/([^/]+)\/([^/]+)\/versions$/.exec(path);
    if (match) {
      const versions = providers[`${match[1]}/${match[2]}`];
      if (!versions) return json(404, { errors: ['Not Found'] });
      const body = {
        id: `${match[1]}/${match[2]}`,
        versions: versions.map((version) => ({ version, protocols: ['5.0'], platforms: platforms.map((platform) => ({ os: platform.split('_')[0], arch: platform.split('_')[1] })) })),
        warnings: null,
      };
      const etag = `"${sha256(JSON.stringify(body)).slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
      return json(200, body, { etag });
    }
    match = /^\/v1\/providers\/([^/]+)\/([^/]+)\/([^/]+)\/download\/([^/]+)\/([^/]+)$/.exec(path);
    if (match) {
      const [, namespace, type, version, os, arch] = match;
      if (!providers[`${namespace}/${type}`]?.includes(version) || !platforms.includes(`${os}_${arch}`)) return json(404, { errors: ['Not Found'] });
      const filename = `terraform-provider-${type}_${version}_${os}_${arch}.zip`;
      const zip = files.get(`/releases/${type}/${version}/${filename}`).body;
      return json(200, {
        protocols: ['5.0'],
        os,
        arch,
        filename,
        // Relative, as the protocol allows: resolved against this endpoint.
        download_url: `/releases/${type}/${version}/${filename}`,
        // Signed, as release hosts sign theirs: the query must never be stored or logged.
        shasums_url: `http://${req.headers.host}/releases/${type}/${version}/terraform-provider-${type}_${version}_SHA256SUMS?X-Amz-Signature=s3cr3t-signature`,
        shasums_signature_url: `http://${req.headers.host}/releases/${type}/${version}/terraform-provider-${type}_${version}_SHA256SUMS.sig`,
        shasum: sha256(zip),
        signing_keys: { gpg_public_keys: [{ key_id: privateKey.getKeyID().toHex().toUpperCase(), ascii_armor: armoredPublic, trust_signature: '', source: 'Shoreline', source_url: null }] },
      });
    }
    match = /^\/v1\/modules\/([^/]+)\/([^/]+)\/([^/]+)\/versions$/.exec(path);
    if (match) {
      const versions = modules[`${match[1]}/${match[2]}/${match[3]}`];
      if (!versions) return json(404, { errors: ['Not Found'] });
      return json(200, { modules: [{ source: `${match[1]}/${match[2]}/${match[3]}`, versions: versions.map((version) => ({ version })) }] });
    }
    match = /^\/v1\/modules\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/download$/.exec(path);
    if (match) {
      const address = `${match[1]}/${match[2]}/${match[3]}`;
      if (!modules[address]?.includes(match[4])) return json(404, { errors: ['Not Found'] });
      state.lastModuleLocation = `/archives/${address.replaceAll('/', '-')}-${match[4]}.zip`;
      return res.writeHead(204, { 'x-terraform-get': state.lastModuleLocation }).end();
    }
    const file = files.get(path);
    if (file?.body) {
      let body = file.body;
      if (state.corrupt.has(path)) {
        body = Buffer.from(body);
        body[body.length - 30] ^= 0xff;
      }
      res.writeHead(200, { 'content-type': file.type, 'content-length': String(body.length) });
      if (state.stall.has(path)) {
        res.write(body.subarray(0, body.length >> 1));
        return; // never finishes
      }
      if (state.drip.has(path)) {
        // A byte now and then (every 1.2 s): alive, but far too slow.
        let at = 1;
        res.write(body.subarray(0, 1));
        const timer = setInterval(() => {
          if (res.destroyed || at >= body.length) return clearInterval(timer);
          res.write(body.subarray(at, ++at));
        }, 1200);
        return;
      }
      if (state.rates.has(path)) {
        // Paced at a rate (bytes per second), as a real upstream's bandwidth is: 1 MiB at a time, on schedule.
        const rate = state.rates.get(path);
        const started = performance.now();
        let at = 0;
        const next = () => {
          if (res.destroyed) return;
          const end = Math.min(body.length, at + 1024 * 1024);
          const more = res.write(body.subarray(at, end));
          at = end;
          if (at >= body.length) return res.end();
          const wait = Math.max(0, (at / rate) * 1000 - (performance.now() - started));
          if (more) setTimeout(next, wait);
          else res.once('drain', () => setTimeout(next, wait));
        };
        return next();
      }
      if (state.delayed.has(path)) {
        // A slow start: the body comes after 400 ms.
        setTimeout(() => res.end(body), 400);
        return;
      }
      if (state.trickle.has(path)) {
        // 256 KiB every 20 ms: a slow but steady upstream.
        let at = 0;
        const next = () => {
          if (res.destroyed) return;
          res.write(body.subarray(at, (at += 256 * 1024)));
          if (at < body.length) setTimeout(next, 20);
          else res.end();
        };
        return next();
      }
      return res.end(body);
    }
    return json(404, { errors: ['Not Found'] });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    host: `127.0.0.1:${server.address().port}`,
    state,
    files,
    publicKey: armoredPublic,
    fileFor: (type, version, platform) => `/releases/${type}/${version}/terraform-provider-${type}_${version}_${platform}.zip`,
    close: () => new Promise((resolve) => (server.close(resolve), server.closeAllConnections())),
  };
}
