import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface RecordState {
  /** The address last published successfully. */
  address?: string;
  /** When it was published (ms since the epoch). */
  updatedAt?: number;
  /** When the last attempt was made, successful or not. */
  attemptedAt?: number;
  lastError?: string;
}

interface StateFile {
  version: 1;
  records: Record<string, RecordState>;
}

/**
 * What the engine published, kept in a JSON file written atomically (temp
 * file, fsync, rename, fsync of the folder): after a crash or restart the
 * file is the old or the new state, never half of one, and no redundant
 * update is sent.
 */
export class StateStore {
  private state: StateFile = { version: 1, records: {} };
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string | undefined) {}

  async load(): Promise<void> {
    if (!this.path) return;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`cannot read the DDNS state file ${this.path}: ${(error as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as StateFile;
      if (parsed.version !== 1 || typeof parsed.records !== 'object' || parsed.records === null) throw new Error('unknown format');
      this.state = parsed;
    } catch (error) {
      throw new Error(`the DDNS state file ${this.path} is not valid (${(error as Error).message}); move it away to start afresh`);
    }
  }

  get(key: string): RecordState {
    return this.state.records[key] ?? {};
  }

  async set(key: string, value: RecordState): Promise<void> {
    this.state.records[key] = value;
    // Writes are serialised: the file always ends with the latest state.
    this.writing = this.writing.then(() => this.persist());
    await this.writing;
  }

  private async persist(): Promise<void> {
    if (!this.path) return;
    const folder = dirname(this.path);
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `.${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(this.state, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const dir = await open(folder, 'r').catch(() => undefined);
    await dir?.sync().catch(() => {});
    await dir?.close();
  }
}
