// A real LSP client over stdio (vscode-languageserver-protocol), driving
// `shoreline lsp --stdio` in a child process, for tests and benchmarks.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const BIN = fileURLToPath(new URL('../../bin/shoreline.js', import.meta.url));

export const uriOf = (path) => pathToFileURL(path).href;

export class LspClient {
  /** Diagnostics by URI, as last published. */
  diagnostics = new Map();
  progress = [];
  registrations = [];
  #waiters = [];

  static async start({
    root,
    settings = { validation: { enable: true, debounceMs: 0 } },
    pullConfiguration = true,
    watchFiles = true,
    env = {},
    snippets = true,
    rootPathOnly = false,
    folderChanges = true,
    initializationOptions = undefined,
  } = {}) {
    const client = new LspClient();
    client.settings = settings;
    client.child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SHORELINE_LIVE_REGISTRY: 'off', ...env } });
    client.stderr = '';
    client.child.stderr.on('data', (chunk) => (client.stderr += chunk));
    client.exited = new Promise((resolve) => client.child.on('exit', (code) => resolve(code)));
    const connection = createProtocolConnection(new StreamMessageReader(client.child.stdout), new StreamMessageWriter(client.child.stdin));
    client.connection = connection;
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      client.diagnostics.set(params.uri, params.diagnostics);
      client.#waiters = client.#waiters.filter((waiter) => !waiter(params));
    });
    connection.onNotification('$/progress', (params) => client.progress.push(params.value));
    client.logs = [];
    connection.onNotification('window/logMessage', (params) => client.logs.push(params));
    connection.onRequest('workspace/configuration', (params) => params.items.map(() => client.settings));
    connection.onRequest('client/registerCapability', (params) => {
      client.registrations.push(...params.registrations);
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    client.messages = [];
    connection.onNotification('window/showMessage', (params) => client.messages.push(params));
    client.custom = [];
    client.statuses = [];
    connection.onNotification((method, params) => {
      client.custom.push(method);
      if (method === 'shoreline/status') client.statuses.push(params);
    });
    connection.listen();
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      // An old-style client (rootPathOnly) names its folder only in the deprecated rootPath.
      ...(rootPathOnly ? { rootPath: root ?? null, rootUri: null } : { rootUri: root ? uriOf(root) : null, workspaceFolders: root ? [{ uri: uriOf(root), name: 'root' }] : null }),
      initializationOptions: initializationOptions ?? settings,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: pullConfiguration, didChangeWatchedFiles: { dynamicRegistration: watchFiles }, workspaceFolders: folderChanges },
        textDocument: { publishDiagnostics: { relatedInformation: false }, completion: { completionItem: { snippetSupport: snippets } } },
      },
    });
    connection.sendNotification('initialized', {});
    return client;
  }

  /** Messages the server logged as errors (a handler that threw). */
  errors() {
    return this.logs.filter((log) => log.type === 1).map((log) => log.message);
  }

  /** Resolves with the next publication for `uri` that satisfies `predicate`. */
  waitForDiagnostics(uri, predicate = () => true, timeoutMs = 20_000) {
    const current = this.diagnostics.get(uri);
    if (current && predicate(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}`)), timeoutMs);
      this.#waiters.push((params) => {
        if (params.uri !== uri || !predicate(params.diagnostics)) return false;
        clearTimeout(timer);
        resolve(params.diagnostics);
        return true;
      });
    });
  }

  /** Resolves with the next publication for `uri`, whatever it holds. */
  nextDiagnostics(uri, timeoutMs = 20_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push((params) => {
        if (params.uri !== uri) return false;
        clearTimeout(timer);
        resolve(params.diagnostics);
        return true;
      });
    });
  }

  open(uri, text, version = 1, languageId = 'terraform') {
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri, version, contentChanges) {
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri) {
    this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  notify(method, params) {
    this.connection.sendNotification(method, params);
  }

  async stop() {
    await this.connection.sendRequest('shutdown');
    this.connection.sendNotification('exit');
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }
}
