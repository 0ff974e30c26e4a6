import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HttpClient } from '../../core/dist/index.js';

/** A programmable local server: each path answers from a queue of behaviours. */
let server;
let base;
const hits = new Map();
const plans = new Map();
before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const queue = plans.get(path) ?? [];
    const step = queue.length > 1 ? queue.shift() : (queue[0] ?? { status: 200, body: 'ok' });
    if (step.stallMs) return void setTimeout(() => res.end('late'), step.stallMs);
    res.writeHead(step.status, step.headers ?? {});
    res.end(step.body ?? String(hits.get(path)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  hits.clear();
  plans.clear();
});

const client = (options = {}) => new HttpClient({ retries: 2, initialBackoffMs: 5, maxBackoffMs: 20, timeoutMs: 2000, ...options });

describe('HTTP layer', () => {
  it('retries a 500 and succeeds', async () => {
    plans.set('/flaky', [{ status: 500 }, { status: 200, body: 'fine' }]);
    const response = await client().request({ url: `${base}/flaky` });
    assert.equal(response.body, 'fine');
    assert.equal(hits.get('/flaky'), 2);
  });
  it('does not retry a 4xx', async () => {
    plans.set('/missing', [{ status: 404 }]);
    await assert.rejects(client().request({ url: `${base}/missing` }), (error) => error.kind === 'status' && error.status === 404);
    assert.equal(hits.get('/missing'), 1);
  });
  it('retries a 429 after Retry-After', async () => {
    plans.set('/busy', [
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 200, body: 'done' },
    ]);
    assert.equal((await client().request({ url: `${base}/busy` })).body, 'done');
    assert.equal(hits.get('/busy'), 2);
  });
  it('times out a stalled host, and answers from the cache without waiting', async () => {
    const http = client({ timeoutMs: 200, retries: 0, cacheTtlMs: 1 });
    plans.set('/slow', [{ status: 200, body: 'first' }, { stallMs: 10_000 }]);
    assert.equal((await http.request({ url: `${base}/slow` })).body, 'first');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    const peeked = http.peek({ url: `${base}/slow` });
    assert.ok(performance.now() - started < 50);
    assert.equal(peeked.cache, 'stale');
    const fallback = await http.request({ url: `${base}/slow` });
    assert.equal(fallback.cache, 'stale');
    assert.equal(fallback.body, 'first');
    await assert.rejects(http.request({ url: `${base}/slow`, cacheKey: false }), (error) => error.kind === 'timeout');
    await http.close();
  });
  it('opens the circuit after consecutive failures and closes it after recovery', async () => {
    const http = client({ retries: 0, breakerThreshold: 2, breakerOpenMs: 150 });
    plans.set('/down', [{ status: 503 }]);
    for (let i = 0; i < 2; i++) await assert.rejects(http.request({ url: `${base}/down`, cacheKey: false }), (error) => error.kind === 'status');
    await assert.rejects(http.request({ url: `${base}/down`, cacheKey: false }), (error) => error.kind === 'circuit-open');
    assert.equal(hits.get('/down'), 2);
    plans.set('/down', [{ status: 200, body: 'back' }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await http.request({ url: `${base}/down`, cacheKey: false })).body, 'back');
    assert.equal((await http.request({ url: `${base}/down`, cacheKey: false })).body, 'back');
  });
  it('caches with a TTL, serves stale while revalidating, and expires', async () => {
    const http = client({ cacheTtlMs: 80 });
    plans.set('/data', [{ status: 200 }]);
    assert.equal((await http.request({ url: `${base}/data` })).cache, 'miss');
    assert.equal((await http.request({ url: `${base}/data` })).cache, 'hit');
    assert.equal(hits.get('/data'), 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stale = await http.request({ url: `${base}/data`, staleWhileRevalidate: true });
    assert.equal(stale.cache, 'stale');
    assert.equal(stale.body, '1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refreshed = await http.request({ url: `${base}/data` });
    assert.equal(refreshed.cache, 'hit');
    assert.equal(refreshed.body, '2');
  });
  it('coalesces identical requests in flight', async () => {
    plans.set('/shared', [{ status: 200, body: 'one' }]);
    const http = client();
    const answers = await Promise.all(Array.from({ length: 5 }, () => http.request({ url: `${base}/shared` })));
    assert.ok(answers.every((answer) => answer.body === 'one'));
    assert.equal(hits.get('/shared'), 1);
  });
  it('cancels through an AbortSignal', async () => {
    plans.set('/hang', [{ stallMs: 5000 }]);
    const controller = new AbortController();
    const pending = client().request({ url: `${base}/hang`, signal: controller.signal, cacheKey: false });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (error) => error.kind === 'cancelled');
  });
  it('never logs a key or token', async () => {
    const lines = [];
    const http = client({ retries: 1, log: (event) => lines.push(JSON.stringify(event)), secrets: () => ['s3cr3t-token'] });
    plans.set('/api', [{ status: 500 }, { status: 200 }]);
    await http.request({ url: `${base}/api?key=ABCDEF123456&cmd=dns-list_records`, headers: { authorization: 'Bearer s3cr3t-token' } });
    await assert.rejects(http.request({ url: `http://127.0.0.1:1/x?token=s3cr3t-token`, cacheKey: false }));
    const log = lines.join('\n');
    assert.ok(lines.length >= 3);
    assert.ok(!log.includes('ABCDEF123456') && !log.includes('s3cr3t-token'), log);
    assert.match(log, /key=\*\*\*/);
  });
});
