import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheStatus } from './metadata.js';

/** The mirror's Prometheus metrics, on a registry of its own (several mirrors can live in one process). */
export class MirrorMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'shoreline_mirror_requests_total',
    help: 'Requests by route, cache status and HTTP status',
    labelNames: ['route', 'cache', 'status'] as const,
    registers: [this.registry],
  });
  readonly bytes = new Counter({ name: 'shoreline_mirror_response_bytes_total', help: 'Response body bytes sent, by route', labelNames: ['route'] as const, registers: [this.registry] });
  readonly upstreamLatency = new Histogram({
    name: 'shoreline_mirror_upstream_request_duration_seconds',
    help: 'Time to the upstream response headers, by host',
    labelNames: ['host'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly artifactFetches = new Counter({ name: 'shoreline_mirror_upstream_artifact_fetches_total', help: 'Artifact downloads started from an upstream', registers: [this.registry] });
  readonly verificationFailures = new Counter({
    name: 'shoreline_mirror_verification_failures_total',
    help: 'Artifacts refused because their checksum or signature did not verify',
    registers: [this.registry],
  });
  readonly cacheObjects = new Gauge({ name: 'shoreline_mirror_cache_objects', help: 'Objects in the cache (metadata excluded)', registers: [this.registry] });
  readonly cacheBytes = new Gauge({ name: 'shoreline_mirror_cache_bytes', help: 'Bytes in the cache (metadata excluded)', registers: [this.registry] });
  private readonly counts: Record<CacheStatus, number> = { HIT: 0, MISS: 0, STALE: 0, BYPASS: 0 };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'shoreline_mirror_' });
  }

  /** The counters of each label combination, looked up once: prom-client hashes the labels on every call otherwise. */
  private readonly requestCounters = new Map<string, { inc(by?: number): void }>();
  private readonly byteCounters = new Map<string, { inc(by?: number): void }>();

  countRequest(route: string, cache: CacheStatus | undefined, status: number, bytes: number): void {
    const key = `${route} ${cache ?? 'NONE'} ${status}`;
    let requests = this.requestCounters.get(key);
    if (!requests) this.requestCounters.set(key, (requests = this.requests.labels({ route, cache: cache ?? 'NONE', status: String(status) })));
    requests.inc();
    if (bytes > 0) {
      let sent = this.byteCounters.get(route);
      if (!sent) this.byteCounters.set(route, (sent = this.bytes.labels({ route })));
      sent.inc(bytes);
    }
    if (cache) this.counts[cache] += 1;
  }

  /** Cache answers so far, for status displays. */
  cacheCounts(): Record<CacheStatus, number> & { hitRatio: number } {
    const total = this.counts.HIT + this.counts.MISS + this.counts.STALE + this.counts.BYPASS;
    return { ...this.counts, hitRatio: total === 0 ? 0 : (this.counts.HIT + this.counts.STALE) / total };
  }
}
