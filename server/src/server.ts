import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionItem as LspCompletionItem,
  type Connection,
  type DocumentSymbol as LspDocumentSymbol,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type Position,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFile } from 'node:fs/promises';
import {
  analyzeYamlConfig,
  complete,
  configKind,
  completeYaml,
  decodeSource,
  definition,
  discover,
  documentSymbols,
  hover,
  hoverYaml,
  isYamlConfig,
  LiveData,
  liveProgramDiagnostics,
  ModuleWorkspace,
  quickFixes,
  type Diagnostic,
  type Fix,
} from '../../core/src/index.js';

export interface ServerSettings {
  validation: { enable: boolean; debounceMs: number };
}

const DEFAULT_SETTINGS: ServerSettings = { validation: { enable: true, debounceMs: 200 } };

/** How often live facts (DreamHost records, Lagoon targets, provider versions) are refreshed. */
const LIVE_REFRESH_MS = 5 * 60_000;

/** A local file path (POSIX or Windows), as opposed to a URI of another scheme. */
const isPath = (source: string) => source.startsWith('/') || /^[A-Za-z]:[\\/]/.test(source);

/** Severity names to LSP numbers. */
const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;
const SEVERITY_NAMES = ['error', 'error', 'warning', 'information', 'hint'] as const;

/** A file URI's path, or the URI itself for other schemes (untitled documents). */
function sourceOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

function uriOf(source: string): string {
  return isPath(source) ? pathToFileURL(source).href : source;
}

/** Folder-based module for files; a document of its own for anything else. */
function moduleOf(source: string): string {
  return isPath(source) ? dirname(source) : source;
}

function toLsp(diagnostic: Diagnostic): LspDiagnostic {
  return {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: diagnostic.source,
    message: diagnostic.message,
    ...(diagnostic.fixes ? { data: { fixes: diagnostic.fixes } } : {}),
  };
}

function fromLsp(diagnostic: LspDiagnostic): Diagnostic {
  const fixes = (diagnostic.data as { fixes?: Fix[] } | undefined)?.fixes;
  return {
    range: diagnostic.range,
    severity: SEVERITY_NAMES[diagnostic.severity ?? 1],
    code: String(diagnostic.code ?? ''),
    source: 'shoreline',
    message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
    ...(Array.isArray(fixes) ? { fixes } : {}),
  };
}

function isPosition(value: unknown): value is Position {
  const position = value as Position | undefined;
  return !!position && Number.isInteger(position.line) && Number.isInteger(position.character) && position.line >= 0 && position.character >= 0;
}

/**
 * The Shoreline language server: diagnostics for whole modules, completion,
 * hover, quick fixes, outline and go-to-definition, all from the core.
 * Handlers never throw: bad parameters get empty results.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  // A long-running server logs a stray rejection instead of dying with it.
  process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
  const workspace = new ModuleWorkspace();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let folders: string[] = [];
  let canRegisterWatchers = false;
  let canPullConfiguration = false;
  const timers = new Map<string, NodeJS.Timeout>();
  let liveTimer: NodeJS.Timeout | undefined;
  const published = new Map<string, Set<string>>();

  const log = (message: string) => connection.console.log(message);

  /** Runs a handler; any exception is logged and turned into `fallback`. */
  const safe =
    <P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>) =>
    async (params: P): Promise<R> => {
      try {
        return await handler(params);
      } catch (error) {
        connection.console.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
        return fallback;
      }
    };

  const live = LiveData.fromEnvironment({ registry: process.env['SHORELINE_LIVE_REGISTRY'] !== 'off' });
  let noticeShown = false;

  /** Refreshes live facts in the background; re-validates when they arrive; tells the user once when lookups fail. */
  /** Settles when the workspace has been indexed: live lookups need to know which providers and zones are used. */
  let markIndexed: () => void = () => undefined;
  const indexed = new Promise<void>((resolve) => (markIndexed = resolve));
  const refreshLive = async () => {
    await indexed;
    const documentsOfAll = workspace.modules().flatMap((module) => workspace.documents(module));
    await live.refresh(documentsOfAll);
    const failing = live.statuses().filter((status) => status.state === 'failing');
    if (failing.length && !noticeShown) {
      noticeShown = true;
      // A notification, not window/showMessageRequest: it needs no answer, and clients without it are fine.
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Info,
        message: `Shoreline: live lookups are unavailable (${failing.map((status) => `${status.name}: ${status.error}`).join('; ')}); static validation goes on.`,
      });
    }
    for (const module of workspace.modules()) schedule(module, 0);
    for (const open of documents.all()) if (isYamlConfig(sourceOf(open.uri))) scheduleYaml(sourceOf(open.uri), 0);
  };

  const publish = (module: string) => {
    timers.delete(module);
    const results = settings.validation.enable ? workspace.analyze(module) : new Map(workspace.sources(module).map((source) => [source, [] as Diagnostic[]]));
    if (settings.validation.enable) {
      for (const [source, findings] of live.diagnostics(workspace.documents(module))) results.get(source)?.push(...findings);
    }
    const previous = published.get(module) ?? new Set<string>();
    for (const source of previous) if (!results.has(source)) void connection.sendDiagnostics({ uri: uriOf(source), diagnostics: [] });
    for (const [source, diagnostics] of results) {
      const uri = uriOf(source);
      const open = documents.get(uri);
      void connection.sendDiagnostics({ uri, ...(open ? { version: open.version } : {}), diagnostics: diagnostics.map(toLsp) });
    }
    published.set(module, new Set(results.keys()));
  };

  /** Debounced: a newer change to the module cancels the pending run. */
  const schedule = (module: string, delay = settings.validation.debounceMs) => {
    clearTimeout(timers.get(module));
    timers.set(
      module,
      setTimeout(() => {
        try {
          publish(module);
        } catch (error) {
          connection.console.error(`validation failed: ${(error as Error).stack ?? String(error)}`);
        }
      }, delay),
    );
  };

  const readSettings = async () => {
    if (!canPullConfiguration) return;
    const value = (await connection.workspace.getConfiguration('shoreline')) as Partial<{ validation: Partial<ServerSettings['validation']> }> | null;
    settings = mergeSettings(value ?? {});
  };

  /** YAML configurations (Pulumi programs, .lagoon.yml) are validated file by file, from the editor's text or the disk. */
  const publishYaml = async (source: string) => {
    timers.delete(`yaml:${source}`);
    const open = documents.get(uriOf(source));
    let text = open?.getText();
    let fileProblems: Diagnostic[] = [];
    if (text === undefined) {
      try {
        const read = decodeSource(await readFile(source));
        text = read.text;
        fileProblems = read.diagnostics;
      } catch {
        void connection.sendDiagnostics({ uri: uriOf(source), diagnostics: [] });
        return;
      }
    }
    const findings = settings.validation.enable
      ? [...fileProblems, ...(text !== undefined ? [...(analyzeYamlConfig(source, text) ?? []), ...(configKind(source) === 'pulumi-yaml' ? liveProgramDiagnostics(live, text) : [])] : [])]
      : [];
    void connection.sendDiagnostics({ uri: uriOf(source), ...(open ? { version: open.version } : {}), diagnostics: findings.map(toLsp) });
  };
  const scheduleYaml = (source: string, delay = settings.validation.debounceMs) => {
    const key = `yaml:${source}`;
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => void publishYaml(source).catch((error: Error) => connection.console.error(`validation failed: ${error.stack ?? String(error)}`)), delay),
    );
  };

  const indexWorkspace = async (): Promise<number> => {
    if (folders.length === 0) return 0;
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Shoreline: indexing Terraform files', 0, undefined, false);
    const { modules } = await discover(folders);
    const files = [...modules.values()].flat();
    let done = 0;
    for (const file of files) {
      if (isYamlConfig(file)) await publishYaml(file);
      else if (!documents.get(uriOf(file))) await workspace.load(file, moduleOf(file));
      done++;
      if (done % 20 === 0 || done === files.length) progress.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
    }
    progress.done();
    log(`indexed ${files.length} configuration files in ${modules.size} folders`);
    for (const module of workspace.modules()) schedule(module, 0);
    return files.length;
  };

  connection.onInitialize((params: InitializeParams) => {
    folders = (params.workspaceFolders ?? []).map((folder) => sourceOf(folder.uri)).filter(isPath);
    if (folders.length === 0 && params.rootUri) folders = [sourceOf(params.rootUri)];
    canRegisterWatchers = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    settings = mergeSettings((params.initializationOptions as Partial<{ validation: Partial<ServerSettings['validation']> }> | undefined) ?? {});
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['"', '=', ' ', ':'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        definitionProvider: true,
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'shoreline' },
    };
  });

  connection.onInitialized(
    safe('initialized', undefined, async () => {
      if (canRegisterWatchers)
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.tf' }, { globPattern: '**/{Pulumi.yaml,Pulumi.yml,Main.yaml,Main.yml,.lagoon.yml,.lagoon.yaml}' }],
        });
      if (canPullConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'shoreline' });
      await readSettings();
      try {
        await indexWorkspace();
      } finally {
        markIndexed();
      }
      void refreshLive();
      liveTimer = setInterval(() => void refreshLive(), LIVE_REFRESH_MS);
      liveTimer.unref();
    }),
  );

  connection.onDidChangeConfiguration(
    safe('configuration', undefined, async (params: { settings?: { shoreline?: Partial<{ validation: Partial<ServerSettings['validation']> }> } }) => {
      if (canPullConfiguration) await readSettings();
      else settings = mergeSettings(params.settings?.shoreline ?? {});
      for (const module of workspace.modules()) schedule(module, 0);
      for (const open of documents.all()) if (isYamlConfig(sourceOf(open.uri))) scheduleYaml(sourceOf(open.uri), 0);
    }),
  );

  documents.onDidChangeContent((event) => {
    const source = sourceOf(event.document.uri);
    if (isYamlConfig(source)) return scheduleYaml(source);
    const module = moduleOf(source);
    workspace.setText(source, module, event.document.getText());
    schedule(module);
  });

  documents.onDidClose((event) => {
    void (async () => {
      const source = sourceOf(event.document.uri);
      if (isYamlConfig(source)) return scheduleYaml(source, 0);
      const module = moduleOf(source);
      // The file on disk is the truth again; an unsaved buffer is forgotten.
      if (!isPath(source) || !(await workspace.load(source, module))) workspace.remove(source);
      schedule(module, 0);
    })();
  });

  connection.onDidChangeWatchedFiles(
    safe('watched files', undefined, async (params) => {
      const touched = new Set<string>();
      for (const change of params.changes) {
        const source = sourceOf(change.uri);
        if (documents.get(change.uri)) continue;
        if (isYamlConfig(source)) {
          scheduleYaml(source);
          continue;
        }
        if (!source.endsWith('.tf')) continue;
        const module = moduleOf(source);
        if (change.type === FileChangeType.Deleted) workspace.remove(source);
        else await workspace.load(source, module);
        touched.add(module);
      }
      for (const module of touched) schedule(module);
    }),
  );

  /** The parsed document of an open URI, or undefined for anything unknown. */
  const documentAt = (uri: unknown) => {
    if (typeof uri !== 'string') return undefined;
    const source = sourceOf(uri);
    return documents.get(uri) ? workspace.document(source) : undefined;
  };
  const moduleDocuments = (uri: string) => workspace.documents(moduleOf(sourceOf(uri)));
  const withinDocument = (uri: string, position: unknown): position is Position => {
    const text = documents.get(uri);
    return !!text && isPosition(position) && (position as Position).line < text.lineCount;
  };

  /** An open YAML configuration's text, for completion and hover. */
  const yamlAt = (uri: unknown) => (typeof uri === 'string' && isYamlConfig(sourceOf(uri)) ? documents.get(uri) : undefined);

  connection.onCompletion(
    safe('completion', [], (params) => {
      const yaml = yamlAt(params.textDocument?.uri);
      if (yaml) return withinDocument(params.textDocument.uri, params.position) ? (completeYaml(sourceOf(yaml.uri), yaml.getText(), params.position, live) as LspCompletionItem[]) : [];
      const document = documentAt(params.textDocument?.uri);
      if (!document || !withinDocument(params.textDocument.uri, params.position)) return [];
      return complete(document, params.position, { moduleDocuments: moduleDocuments(params.textDocument.uri), live }) as LspCompletionItem[];
    }),
  );

  connection.onHover(
    safe('hover', null, (params) => {
      const yaml = yamlAt(params.textDocument?.uri);
      if (yaml) return withinDocument(params.textDocument.uri, params.position) ? (hoverYaml(sourceOf(yaml.uri), yaml.getText(), params.position) ?? null) : null;
      const document = documentAt(params.textDocument?.uri);
      if (!document || !withinDocument(params.textDocument.uri, params.position)) return null;
      return hover(document, params.position, undefined, live) ?? null;
    }),
  );

  connection.onDocumentSymbol(
    safe('documentSymbol', [], (params) => {
      const document = documentAt(params.textDocument?.uri);
      return document ? (documentSymbols(document) as LspDocumentSymbol[]) : [];
    }),
  );

  connection.onDefinition(
    safe('definition', null, (params) => {
      const document = documentAt(params.textDocument?.uri);
      if (!document || !withinDocument(params.textDocument.uri, params.position)) return null;
      const found = definition(document, params.position, moduleDocuments(params.textDocument.uri));
      return found ? { uri: uriOf(found.source), range: found.range } : null;
    }),
  );

  connection.onCodeAction(
    safe('codeAction', [], (params) => {
      const uri = params.textDocument?.uri;
      if (!documentAt(uri) || !Array.isArray(params.context?.diagnostics)) return [];
      return quickFixes(sourceOf(uri), params.context.diagnostics.map(fromLsp), params.range).map((action) => ({
        title: action.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: action.diagnostics.map(toLsp),
        isPreferred: action.isPreferred,
        edit: { changes: { [uri]: [{ range: action.edit.range, newText: action.edit.newText }] } },
      }));
    }),
  );

  // "Validate Workspace": index every configuration file again and publish its diagnostics.
  connection.onRequest('shoreline/validateWorkspace', async () => ({ files: await indexWorkspace() }));

  connection.onRequest('shoreline/refreshLiveData', async () => {
    await refreshLive();
    return live.statuses();
  });

  connection.onShutdown(() => {
    clearInterval(liveTimer);
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

function mergeSettings(value: Partial<{ validation: Partial<ServerSettings['validation']> }>): ServerSettings {
  const debounce = Number(value.validation?.debounceMs);
  return {
    validation: {
      enable: value.validation?.enable ?? DEFAULT_SETTINGS.validation.enable,
      debounceMs: Number.isFinite(debounce) && debounce >= 0 ? Math.min(debounce, 10_000) : DEFAULT_SETTINGS.validation.debounceMs,
    },
  };
}
