import { createHmac } from 'node:crypto';
import { HttpClient, HttpError } from '../http/index.js';

export type LagoonErrorKind = 'not-found' | 'validation' | 'api' | 'connection' | 'auth';

export class LagoonApiError extends Error {
  constructor(
    readonly kind: LagoonErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LagoonApiError';
  }
}

export interface LagoonDeployTarget {
  id: number;
  name: string;
  cloudProvider: string | null;
  cloudRegion: string | null;
  disabled: boolean | null;
}

export interface LagoonProjectSummary {
  id: number;
  name: string;
}

export interface LagoonEnvironmentSummary {
  id: number;
  name: string;
  environmentType: string | null;
  deployType: string | null;
}

export interface LagoonVariable {
  id: number;
  name: string;
  scope: string | null;
}

export interface LagoonApiOptions {
  /** LAGOON_API_URL */
  url?: string;
  /** LAGOON_TOKEN */
  token?: string;
  /** LAGOON_JWT_SECRET: an admin token is minted from it and renewed before it expires. */
  jwtSecret?: string;
  http?: HttpClient;
  cacheTtlMs?: number;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An HS256 JWT with Lagoon's admin claims, valid for `lifetimeSeconds`. */
export function mintLagoonToken(secret: string, lifetimeSeconds = 3600, now = Math.floor(Date.now() / 1000)): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ role: 'admin', iss: 'shoreline', sub: 'shoreline', aud: 'api.dev', iat: now, exp: now + lifetimeSeconds }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Lagoon's GraphQL API: projects, deploy targets, environments and variables, cached. */
export class LagoonApi {
  readonly url: string;
  private readonly http: HttpClient;
  private minted?: { token: string; expires: number };

  constructor(private readonly options: LagoonApiOptions = {}) {
    const url = options.url ?? process.env['LAGOON_API_URL'];
    if (!url) throw new LagoonApiError('connection', 'no Lagoon API URL: set LAGOON_API_URL');
    this.url = url;
    this.http = options.http ?? new HttpClient({ secrets: () => [this.options.token ?? '', this.options.jwtSecret ?? '', this.minted?.token ?? ''] });
  }

  static fromEnvironment(http?: HttpClient): LagoonApi | undefined {
    const url = process.env['LAGOON_API_URL'];
    const token = process.env['LAGOON_TOKEN'];
    const jwtSecret = process.env['LAGOON_JWT_SECRET'];
    if (!url || (!token && !jwtSecret)) return undefined;
    return new LagoonApi({ url, ...(token ? { token } : {}), ...(jwtSecret ? { jwtSecret } : {}), ...(http ? { http } : {}) });
  }

  private bearer(): string {
    if (this.options.token) return this.options.token;
    if (!this.options.jwtSecret) throw new LagoonApiError('auth', 'no Lagoon credentials: set LAGOON_TOKEN or LAGOON_JWT_SECRET');
    const now = Math.floor(Date.now() / 1000);
    if (!this.minted || this.minted.expires - now < 60) this.minted = { token: mintLagoonToken(this.options.jwtSecret, 3600, now), expires: now + 3600 };
    return this.minted.token;
  }

  /** Runs a GraphQL query; answers are cached by query and variables. */
  async query<T>(query: string, variables: Record<string, unknown> = {}, options: { signal?: AbortSignal; cached?: boolean } = {}): Promise<T> {
    const body = JSON.stringify({ query, variables });
    let text: string;
    try {
      const response = await this.http.request({
        url: this.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.bearer()}` },
        body,
        cacheKey: options.cached === false ? false : `lagoon:${this.url}:${body}`,
        ttlMs: this.options.cacheTtlMs ?? 60_000,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      text = response.body;
    } catch (error) {
      if (error instanceof LagoonApiError) throw error;
      if (error instanceof HttpError && (error.status === 401 || error.status === 403)) throw new LagoonApiError('auth', `Lagoon refused the credentials (HTTP ${error.status})`);
      throw new LagoonApiError('connection', `Lagoon API: ${(error as Error).message}`);
    }
    let parsed: { data?: T; errors?: { message: string }[] };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new LagoonApiError('api', 'the Lagoon API answered with something that is not JSON');
    }
    if (parsed.errors?.length) {
      const message = parsed.errors.map((error) => error.message).join('; ');
      this.http.invalidate(`lagoon:${this.url}:${body}`);
      if (/not found|doesn't exist|does not exist/i.test(message)) throw new LagoonApiError('not-found', `Lagoon: ${message}`);
      if (/Cannot query field|Unknown argument|Variable|Expected type|Syntax Error/i.test(message)) throw new LagoonApiError('validation', `Lagoon rejected the query: ${message}`);
      throw new LagoonApiError('api', `Lagoon: ${message}`);
    }
    if (parsed.data === undefined) throw new LagoonApiError('api', 'the Lagoon API answered without data');
    return parsed.data;
  }

  /** Peeks at a cached answer without the network (for completion). */
  cached<T>(query: string, variables: Record<string, unknown> = {}): T | undefined {
    const response = this.http.peek({ url: this.url, method: 'POST', cacheKey: `lagoon:${this.url}:${JSON.stringify({ query, variables })}` });
    if (!response) return undefined;
    try {
      return (JSON.parse(response.body) as { data?: T }).data;
    } catch {
      return undefined;
    }
  }

  async version(): Promise<string> {
    const data = await this.query<{ lagoonVersion: unknown }>('query ShorelineVersion { lagoonVersion }');
    return String(data.lagoonVersion ?? 'unknown');
  }

  static readonly DEPLOY_TARGETS = 'query ShorelineDeployTargets { allKubernetes { id name cloudProvider cloudRegion disabled } }';
  static readonly PROJECTS = 'query ShorelineProjects { allProjects { id name } }';

  async deployTargets(signal?: AbortSignal): Promise<LagoonDeployTarget[]> {
    return (await this.query<{ allKubernetes: LagoonDeployTarget[] | null }>(LagoonApi.DEPLOY_TARGETS, {}, signal ? { signal } : {})).allKubernetes ?? [];
  }

  async projects(signal?: AbortSignal): Promise<LagoonProjectSummary[]> {
    return (await this.query<{ allProjects: LagoonProjectSummary[] | null }>(LagoonApi.PROJECTS, {}, signal ? { signal } : {})).allProjects ?? [];
  }

  async environments(project: string): Promise<LagoonEnvironmentSummary[]> {
    const data = await this.query<{ projectByName: { environments: LagoonEnvironmentSummary[] | null } | null }>(
      'query ShorelineEnvironments($name: String!) { projectByName(name: $name) { environments { id name environmentType deployType } } }',
      { name: project },
    );
    if (!data.projectByName) throw new LagoonApiError('not-found', `Lagoon has no project '${project}'`);
    return data.projectByName.environments ?? [];
  }

  async variables(project: string, environment?: string): Promise<LagoonVariable[]> {
    const data = await this.query<{ getEnvVariablesByProjectEnvironmentName: LagoonVariable[] | null }>(
      'query ShorelineVariables($input: EnvVariableByProjectEnvironmentNameInput!) { getEnvVariablesByProjectEnvironmentName(input: $input) { id name scope } }',
      { input: { project, ...(environment ? { environment } : {}) } },
    );
    return data.getEnvVariablesByProjectEnvironmentName ?? [];
  }
}
