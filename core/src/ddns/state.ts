import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { silentLogger, type Logger } from '../util/log.js';

export interface RecordState {
  /** The address last published successfully (or found on the server). */
  address?: string;
  /** When it was published (ms since the epoch). */
  updatedAt?: number;
  /** When the last attempt was made, successful or not. */
  attemptedAt?: number;
  lastError?: string;
  /**
   * A failure retrying cannot fix (a refused key, a zone the server does not
   * serve): the address and configuration it happened with. Not retried until
   * one of them changes.
   */
  permanent?: { address: string; configuration: string };
}

interface StateFile {
  version: 1;
  records: Record<string, RecordState>;
}

/** How long a failed state write waits before it is tried again. */
const WRITE_RETRY_MS = 30_000;

/**
 * What the engine published, kept in a JSON file written atomically (temp
 * file, fsync, rename, fsync of the folder): after a crash or restart the
 * file is the old or the new state, never half of one, and no redundant
 * update is sent. The file is a cache: the engine checks the records on the
 * server too, so a lost or unreadable file costs at most one update.
 *
 * A write that fails is logged with its cause and tried again; it never makes
 * an update fail. A corrupt or empty file is moved aside at load, with a
 * warning, and the store starts afresh; temp files a killed process left are
 * removed.
 */
export class StateStore {
  private state: StateFile = { version: 1, records: {} };
  private writing: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private dirty = false;
  /** The cause of the last failed write, until a write succeeds (for status and health). */
  writeError: string | undefined;

  constructor(
    readonly path: string | undefined,
    private readonly log: Logger = silentLogger,
  ) {}

  private get tempPrefix(): string {
    return `.${basename(this.path!)}.`;
  }

  async load(): Promise<void> {
    if (!this.path) return;
    await this.removeTempFiles();
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return; // none yet (or none can be there: the write will say why)
      throw new Error(`cannot read the DDNS state file ${this.path}: ${(error as Error).message}`);
    }
    let problem: string | undefined;
    try {
      const parsed = JSON.parse(text) as StateFile;
      if (parsed?.version !== 1 || typeof parsed.records !== 'object' || parsed.records === null || Array.isArray(parsed.records)) problem = 'not a Shoreline DDNS state file (version 1)';
      else this.state = parsed;
    } catch (error) {
      problem = text.trim() === '' ? 'empty' : `not JSON: ${(error as Error).message}`;
    }
    if (problem === undefined) return;
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside).catch((error: unknown) => {
      throw new Error(`the DDNS state file ${this.path} is not valid (${problem}) and cannot be moved aside: ${(error as Error).message}`);
    });
    this.log.warn('the state file was not valid: moved aside, starting afresh (records are checked on the server)', { stateFile: this.path, problem, movedTo: aside });
  }

  /** Temp files of writes a killed process did not finish. */
  private async removeTempFiles(): Promise<void> {
    const folder = dirname(this.path!);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) if (name.startsWith(this.tempPrefix) && name.endsWith('.tmp')) await rm(join(folder, name), { force: true }).catch(() => {});
  }

  get(key: string): RecordState {
    return this.state.records[key] ?? {};
  }

  /** Records the state of a record and writes the file; a failed write is logged and retried, never thrown. */
  async set(key: string, value: RecordState): Promise<void> {
    this.state.records[key] = value;
    this.dirty = true;
    // Writes are serialised, each of the whole state: the file always ends with the latest one.
    this.writing = this.writing.then(() => this.flush());
    await this.writing;
  }

  /** Resolves once the state of now is on disk, or its write has failed (and a retry is planned). */
  async flushed(): Promise<void> {
    await this.writing;
  }

  /** Stops retrying failed writes (the process is ending). */
  close(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
  }

  private async flush(): Promise<void> {
    if (!this.dirty || !this.path) return;
    this.dirty = false;
    try {
      await this.persist();
      if (this.writeError) this.log.info('the state file is written again', { stateFile: this.path });
      this.writeError = undefined;
    } catch (error) {
      this.dirty = true;
      const cause = (error as Error).message;
      if (cause !== this.writeError)
        this.log.error('cannot write the state file; updates go on, the write is tried again', { stateFile: this.path, error: cause, retryInSeconds: WRITE_RETRY_MS / 1000 });
      this.writeError = cause;
      if (!this.retry) {
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.writing = this.writing.then(() => this.flush());
        }, WRITE_RETRY_MS);
        this.retry.unref();
      }
    }
  }

  private async persist(): Promise<void> {
    const path = this.path!;
    const folder = dirname(path);
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `${this.tempPrefix}${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(this.state, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {});
      throw error;
    }
    const dir = await open(folder, 'r').catch(() => undefined);
    await dir?.sync().catch(() => {});
    await dir?.close();
  }
}
