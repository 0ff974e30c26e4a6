import { dirname, sep } from 'node:path';
import { ShorelineNotifications, ShorelineRequests, type ShorelineInitializationOptions, type ShorelineServerStatus } from '../../core/src/language/protocol.js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DiagnosticTag,
  DidChangeWatchedFilesNotification,
  ResponseError,
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
  type Range as LspRange,
  type SymbolInformation,
  type SymbolKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFile } from 'node:fs/promises';
import {
  analyzeVariables,
  analyzeYamlConfig,
  complete,
  completeProgram,
  completeYaml,
  decodeSource,
  definition,
  discover,
  documentLinks,
  foldingRanges,
  addressAt,
  contains,
  formattingEdits,
  isValidName,
  moduleReferences,
  selectionRanges,
  semanticTokens,
  signatureHelp,
  SEMANTIC_TOKEN_MODIFIERS,
  SEMANTIC_TOKEN_TYPES,
  workspaceSymbols,
  documentOutline,
  yamlOutline,
  hover,
  hoverProgram,
  hoverYaml,
  isUnreadModuleMember,
  kindOf,
  LiveData,
  liveProgramDiagnostics,
  liveResourceFindings,
  ModuleWorkspace,
  overlayFiles,
  ProgramWorkspace,
  quickFixes,
  variablesModuleFolder,
  watchedGlobs,
  withoutSnippets,
  type Diagnostic,
  type DocumentKind,
  type Fix,
  type PulumiProject,
  type RuleCode,
} from '../../core/src/index.js';

export interface ServerSettings {
  validation: { enable: boolean; debounceMs: number };
  /** The most outline symbols and folding ranges computed for a document (as VS Code's JSON and YAML servers cap theirs). */
  maxItemsComputed: number;
}

/** The settings as the client sends them (any part may be missing or of the wrong type). */
type ClientSettings = Partial<{ validation: Partial<ServerSettings['validation']>; maxItemsComputed: unknown }>;

const DEFAULT_SETTINGS: ServerSettings = { validation: { enable: true, debounceMs: 200 }, maxItemsComputed: 5000 };

/** Files of a module read at the same time while indexing (well under any open-file limit). */
const READS_AT_ONCE = 32;

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

/** Kinds analysed one file at a time (not as part of a module). */
const isSingleFileKind = (kind: DocumentKind | undefined) => kind === 'pulumi-yaml' || kind === 'lagoon-yml' || kind === 'terraform-vars' || kind === 'terraform-vars-json';

function toLsp(diagnostic: Diagnostic): LspDiagnostic {
  return {
    range: diagnostic.range,
    ...(diagnostic.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
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
    // From the client: a code Shoreline published earlier (only used to match fixes, never reported again).
    code: String(diagnostic.code ?? '') as RuleCode,
    source: 'shoreline',
    message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
    ...(Array.isArray(fixes) ? { fixes } : {}),
  };
}

/** Whether two lists of findings say the same (most are the very objects an analysis kept). */
function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  return a.length === b.length && a.every((diagnostic, index) => diagnostic === b[index] || JSON.stringify(diagnostic) === JSON.stringify(b[index]));
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
  let snippetSupport = true;
  let canWatchFolders = false;
  /** Formatting and the other features any Terraform language server has (off when the client has one already). */
  let terraformFeatures = true;
  /** Single-file analyses known from the index or the editor: Pulumi programs, .lagoon.yml, variables files. */
  const singleFiles = new Set<string>();
  /** What was last published for each URI, with its fixes: quick fixes do not depend on the client echoing `data`. */
  const lastPublished = new Map<string, { version: number | undefined; diagnostics: Diagnostic[] }>();
  /**
   * Publishes a file's findings, unless the client has exactly these for this
   * version already: an edit re-analyses the module, and its other files'
   * findings mostly stay as they were.
   */
  const sendDiagnostics = (uri: string, diagnostics: Diagnostic[], version?: number) => {
    const last = lastPublished.get(uri);
    if (last && last.version === version && sameDiagnostics(last.diagnostics, diagnostics)) return;
    lastPublished.set(uri, { version, diagnostics });
    void connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: diagnostics.map(toLsp) });
  };
  /** A document's kind: by file name, or by the client's languageId for untitled buffers. */
  const kindAt = (source: string) => kindOf(source, documents.get(uriOf(source))?.languageId);
  const timers = new Map<string, NodeJS.Timeout>();
  /** Pulumi programs in Python and TypeScript: read from open documents over the disk. */
  const programs = new ProgramWorkspace(overlayFiles((path) => documents.get(uriOf(path))?.getText()));
  /** The files each program's last publication covered, by project file. */
  const programPublished = new Map<string, Set<string>>();
  let liveTimer: NodeJS.Timeout | undefined;
  const published = new Map<string, Set<string>>();

  const log = (message: string) => connection.console.log(message);
  /** Documents whose outline was cut to maxItemsComputed, told once each. */
  const limitNoticed = new Set<string>();

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
  /** Tells the client what the server knows: its status item shows it. */
  const sendStatus = () => {
    const files = workspace.modules().reduce((sum, module) => sum + workspace.sources(module).length, 0) + singleFiles.size;
    void connection.sendNotification(ShorelineNotifications.status, { files, live: live.statuses() } satisfies ShorelineServerStatus);
  };
  const refreshLive = async () => {
    await indexed;
    const documentsOfAll = workspace.modules().flatMap((module) => workspace.documents(module));
    await live.refresh(documentsOfAll);
    sendStatus();
    const failing = live.statuses().filter((status) => status.state === 'failing');
    if (failing.length && !noticeShown) {
      noticeShown = true;
      // A notification, not window/showMessageRequest: it needs no answer, and clients without it are fine.
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Info,
        message: `Shoreline: live lookups are unavailable (${failing.map((status) => `${status.name}: ${status.error}`).join('; ')}); static validation goes on.`,
      });
      void connection.sendNotification(ShorelineNotifications.liveNoticeShown);
    }
    for (const module of workspace.modules()) schedule(module, 0);
    for (const source of singleFiles) scheduleFile(source, 0);
    for (const analysis of programs.analysed()) scheduleProject(analysis.project, 0);
  };

  const publish = (module: string) => {
    timers.delete(module);
    const results = settings.validation.enable ? workspace.analyze(module) : new Map(workspace.sources(module).map((source) => [source, [] as Diagnostic[]]));
    if (settings.validation.enable) {
      for (const [source, findings] of live.diagnostics(workspace.documents(module))) results.get(source)?.push(...findings);
    }
    const previous = published.get(module) ?? new Set<string>();
    for (const source of previous) if (!results.has(source)) sendDiagnostics(uriOf(source), []);
    for (const [source, diagnostics] of results) {
      const uri = uriOf(source);
      sendDiagnostics(uri, diagnostics, documents.get(uri)?.version);
    }
    published.set(module, new Set(results.keys()));
    // The module's variable declarations may have changed: its variables files are checked again.
    for (const source of singleFiles) if (variablesModule(source) === module) scheduleFile(source, 0);
  };

  /** The module a variables file sets: the folder's own, or for envs/prod.tfvars the folder above's. */
  const variablesModule = (source: string): string | undefined => {
    const kind = kindAt(source);
    if (kind !== 'terraform-vars' && kind !== 'terraform-vars-json') return undefined;
    const folder = moduleOf(source);
    return isPath(source) ? variablesModuleFolder(folder, (candidate) => workspace.sources(candidate).length > 0) : folder;
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
    const value = (await connection.workspace.getConfiguration('shoreline')) as ClientSettings | null;
    settings = mergeSettings(value ?? {});
  };

  /** Pulumi programs, .lagoon.yml and variables files are validated file by file, from the editor's text or the disk. */
  const publishFile = async (source: string) => {
    timers.delete(`file:${source}`);
    const kind = kindAt(source);
    const open = documents.get(uriOf(source));
    let text = open?.getText();
    let fileProblems: Diagnostic[] = [];
    if (text === undefined) {
      try {
        const read = decodeSource(await readFile(source));
        text = read.text;
        fileProblems = read.diagnostics;
      } catch {
        singleFiles.delete(source);
        sendDiagnostics(uriOf(source), []);
        return;
      }
    }
    const findings: Diagnostic[] = settings.validation.enable ? [...fileProblems] : [];
    if (settings.validation.enable && text !== undefined) {
      const module = variablesModule(source);
      if (module !== undefined) {
        findings.push(...analyzeVariables(text, source, workspace.variables(module), { json: kind === 'terraform-vars-json' }));
      } else {
        findings.push(...(analyzeYamlConfig(source, text) ?? []));
        if (kind === 'pulumi-yaml') findings.push(...liveProgramDiagnostics(live, text));
      }
    }
    sendDiagnostics(uriOf(source), findings, open?.version);
  };
  const scheduleFile = (source: string, delay = settings.validation.debounceMs) => {
    const key = `file:${source}`;
    singleFiles.add(source);
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => void publishFile(source).catch((error: Error) => connection.console.error(`validation failed: ${error.stack ?? String(error)}`)), delay),
    );
  };

  /** Checks a Pulumi program as a whole and publishes its files' findings; files that left it are cleared. */
  const publishProgram = async (project: PulumiProject) => {
    timers.delete(`program:${project.file}`);
    const analysis = await programs.analyze(project);
    const results = new Map<string, Diagnostic[]>();
    if (analysis.usesSdk) {
      for (const [source, findings] of analysis.files) results.set(source, settings.validation.enable ? [...findings] : []);
      if (settings.validation.enable) {
        const sourceOfDeclaration = new Map(analysis.declarations.map((entry) => [entry.declaration, entry.source]));
        for (const { declaration, diagnostic } of liveResourceFindings(live, [...sourceOfDeclaration.keys()])) results.get(sourceOfDeclaration.get(declaration)!)?.push(diagnostic);
      }
    }
    for (const source of programPublished.get(project.file) ?? []) if (!results.has(source)) sendDiagnostics(uriOf(source), []);
    for (const [source, diagnostics] of results) sendDiagnostics(uriOf(source), diagnostics, documents.get(uriOf(source))?.version);
    programPublished.set(project.file, new Set(results.keys()));
  };
  const scheduleProject = (project: PulumiProject | undefined, delay = settings.validation.debounceMs) => {
    if (!project?.runtime) return;
    const key = `program:${project.file}`;
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => void publishProgram(project).catch((error: Error) => connection.console.error(`program validation failed: ${error.stack ?? String(error)}`)), delay),
    );
  };
  /** A program file (or Pulumi.yaml) changed: its project's program is checked again. */
  const scheduleProgramOf = (source: string, delay?: number) => {
    if (!isPath(source)) return;
    if (ProgramWorkspace.isProjectFile(source)) {
      programs.forgetProjects();
      void programs
        .projectFile(source)
        .then((project) => {
          if (project) return scheduleProject(project, delay);
          // Pulumi.yaml is gone: what its program published is cleared.
          for (const published of programPublished.get(source) ?? []) sendDiagnostics(uriOf(published), []);
          programPublished.delete(source);
          programs.drop(source);
        })
        .catch((error: Error) => connection.console.error(`program validation failed: ${error.stack ?? String(error)}`));
      return;
    }
    void programs
      .projectOf(source)
      .then((project) => scheduleProject(project, delay))
      .catch((error: Error) => connection.console.error(`program validation failed: ${error.stack ?? String(error)}`));
  };
  /** Whether an open program file is part of a program using a provider SDK (analysing it first if needed). */
  const programFileAt = async (uri: unknown) => {
    if (typeof uri !== 'string' || !documents.get(uri)) return undefined;
    const source = sourceOf(uri);
    if (kindAt(source) !== 'pulumi-program' || !isPath(source)) return undefined;
    if (!programs.analysisOf(source)) {
      const project = await programs.projectOf(source);
      if (project?.runtime) await programs.analyze(project);
    }
    return programs.analysisOf(source) ? documents.get(uri) : undefined;
  };

  const indexWorkspace = async (roots: readonly string[] = folders): Promise<number> => {
    if (roots.length === 0) return 0;
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Shoreline: indexing Terraform files', 0, undefined, false);
    const { modules, shared } = await discover(roots);
    workspace.markShared(shared);
    const files = [...modules.values()].flat();
    // Folders with open documents first; each module is published as soon as its files are read, not after the whole workspace.
    const open = new Set(documents.all().map((document) => moduleOf(sourceOf(document.uri))));
    const order = [...modules].sort(([a], [b]) => Number(open.has(b)) - Number(open.has(a)));
    let done = 0;
    for (const [folder, members] of order) {
      const reads: Promise<boolean>[] = [];
      for (const file of members) {
        const kind = kindAt(file);
        done++;
        if (done % 20 === 0 || done === files.length) progress.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
        if (kind === 'pulumi-program') continue; // read through its project's program
        if (ProgramWorkspace.isProjectFile(file)) scheduleProgramOf(file, 0);
        if (isSingleFileKind(kind)) scheduleFile(file, 0);
        else if (isUnreadModuleMember(kind)) workspace.setUnread(file, moduleOf(file));
        // A module's files are read together; modules one after the other, so each is published as soon as it is read.
        else if (kind === 'terraform' && !documents.get(uriOf(file))) {
          reads.push(workspace.load(file, moduleOf(file)));
          if (reads.length % READS_AT_ONCE === 0) await Promise.all(reads);
        } else if (kind === 'terraform') reads.push(Promise.resolve(true));
      }
      await Promise.all(reads);
      if (reads.length > 0 || workspace.sources(folder).length > 0) schedule(folder, 0);
    }
    progress.done();
    log(`indexed ${files.length} configuration files in ${modules.size} folders`);
    sendStatus();
    return files.length;
  };

  connection.onInitialize((params: InitializeParams) => {
    folders = (params.workspaceFolders ?? []).map((folder) => sourceOf(folder.uri)).filter(isPath);
    if (folders.length === 0 && params.rootUri) folders = [sourceOf(params.rootUri)].filter(isPath);
    // Older clients (and some editors' defaults) send only the deprecated rootPath.
    if (folders.length === 0 && params.rootPath) folders = [params.rootPath];
    canRegisterWatchers = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    snippetSupport = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
    canWatchFolders = !!params.capabilities.workspace?.workspaceFolders;
    settings = mergeSettings((params.initializationOptions as ClientSettings | undefined) ?? {});
    // A client with another Terraform language server (HashiCorp's extension) asks for the general features to be left to it.
    const options = (params.initializationOptions ?? {}) as ShorelineInitializationOptions;
    terraformFeatures = options.terraformFeatures !== false;
    noticeShown = options.liveNoticeShown === true;
    return {
      capabilities: {
        ...(terraformFeatures
          ? {
              documentFormattingProvider: true,
              documentRangeFormattingProvider: true,
              foldingRangeProvider: true,
              selectionRangeProvider: true,
              workspaceSymbolProvider: true,
              documentLinkProvider: { resolveProvider: false },
              referencesProvider: true,
              renameProvider: { prepareProvider: true },
              codeLensProvider: { resolveProvider: false },
              signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
              semanticTokensProvider: { legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] }, full: true },
            }
          : {}),
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['"', '=', ' ', ':'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        definitionProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'shoreline' },
    };
  });

  connection.onInitialized(
    safe('initialized', undefined, async () => {
      // Subscribed before the first await: a folder change sent right after `initialized` is not lost.
      if (canWatchFolders)
        connection.workspace.onDidChangeWorkspaceFolders((event) => void changeFolders(event).catch((error: Error) => connection.console.error(`workspace folders: ${error.stack ?? String(error)}`)));
      if (canRegisterWatchers)
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: watchedGlobs().map((globPattern) => ({ globPattern })),
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
    safe('configuration', undefined, async (params: { settings?: { shoreline?: ClientSettings } }) => {
      if (canPullConfiguration) await readSettings();
      else settings = mergeSettings(params.settings?.shoreline ?? {});
      for (const module of workspace.modules()) schedule(module, 0);
      for (const source of singleFiles) scheduleFile(source, 0);
      for (const analysis of programs.analysed()) scheduleProject(analysis.project, 0);
    }),
  );

  /** Folders added at run time are indexed; the files of removed ones are forgotten and their diagnostics cleared. */
  const changeFolders = async (event: { added: { uri: string }[]; removed: { uri: string }[] }) => {
    const inside = (source: string, folder: string) => source === folder || source.startsWith(folder.endsWith(sep) ? folder : folder + sep);
    for (const removed of event.removed.map((folder) => sourceOf(folder.uri))) {
      folders = folders.filter((folder) => folder !== removed);
      for (const module of workspace.modules()) {
        if (!inside(module, removed) || folders.some((folder) => inside(module, folder))) continue;
        for (const source of workspace.sources(module)) if (!documents.get(uriOf(source))) workspace.remove(source);
        publish(module);
      }
      for (const source of [...singleFiles]) {
        if (!inside(source, removed) || documents.get(uriOf(source)) || folders.some((folder) => inside(source, folder))) continue;
        singleFiles.delete(source);
        sendDiagnostics(uriOf(source), []);
      }
      for (const { project } of programs.analysed()) {
        if (!inside(project.folder, removed) || folders.some((folder) => inside(project.folder, folder))) continue;
        for (const source of programPublished.get(project.file) ?? []) sendDiagnostics(uriOf(source), []);
        programPublished.delete(project.file);
        programs.drop(project.file);
      }
    }
    const added = event.added.map((folder) => sourceOf(folder.uri)).filter(isPath);
    if (added.length === 0) return;
    folders = [...new Set([...folders, ...added])];
    await indexWorkspace(added);
  };

  documents.onDidChangeContent((event) => {
    const source = sourceOf(event.document.uri);
    const kind = kindAt(source);
    if (kind === 'pulumi-program') return scheduleProgramOf(source);
    if (ProgramWorkspace.isProjectFile(source)) scheduleProgramOf(source);
    if (isSingleFileKind(kind)) return scheduleFile(source);
    // Any other document (docker-compose.yml, a workflow, Markdown) is none of Shoreline's business.
    if (kind !== 'terraform') return;
    const module = moduleOf(source);
    workspace.setText(source, module, event.document.getText());
    schedule(module);
  });

  documents.onDidClose((event) => {
    void (async () => {
      const source = sourceOf(event.document.uri);
      const kind = kindOf(source, event.document.languageId);
      if (kind === 'pulumi-program') return scheduleProgramOf(source, 0);
      if (isSingleFileKind(kind)) {
        if (!isPath(source)) {
          singleFiles.delete(source);
          return sendDiagnostics(event.document.uri, []);
        }
        return scheduleFile(source, 0);
      }
      if (kind !== 'terraform') return;
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
        const kind = kindOf(source);
        if (kind === 'pulumi-program') {
          // Only files inside a program's project matter (an npm install under node_modules does not).
          const project = programs.projectContaining(source);
          if (project) {
            programs.forgetFile(source);
            scheduleProject(project);
          }
          continue;
        }
        if (ProgramWorkspace.isProjectFile(source)) scheduleProgramOf(source);
        if (isSingleFileKind(kind)) {
          scheduleFile(source);
          continue;
        }
        const module = moduleOf(source);
        if (isUnreadModuleMember(kind)) {
          if (change.type === FileChangeType.Deleted) workspace.remove(source);
          else workspace.setUnread(source, module);
        } else if (kind === 'terraform') {
          if (change.type === FileChangeType.Deleted) workspace.remove(source);
          else await workspace.load(source, module);
        } else continue;
        touched.add(module);
      }
      for (const module of touched) schedule(module);
    }),
  );

  /** The parsed document of an open URI, or undefined for anything unknown. */
  const documentAt = (uri: unknown) => {
    if (typeof uri !== 'string') return undefined;
    const source = sourceOf(uri);
    return documents.get(uri) && kindAt(source) === 'terraform' ? workspace.document(source) : undefined;
  };
  const moduleDocuments = (uri: string) => workspace.documents(moduleOf(sourceOf(uri)));
  const withinDocument = (uri: string, position: unknown): position is Position => {
    const text = documents.get(uri);
    return !!text && isPosition(position) && (position as Position).line < text.lineCount;
  };

  /** An open YAML configuration's text, for completion and hover. */
  const yamlAt = (uri: unknown) => {
    if (typeof uri !== 'string') return undefined;
    const kind = kindAt(sourceOf(uri));
    return kind === 'pulumi-yaml' || kind === 'lagoon-yml' ? documents.get(uri) : undefined;
  };
  const forClient = (items: LspCompletionItem[]) => (snippetSupport ? items : (withoutSnippets(items as Parameters<typeof withoutSnippets>[0]) as LspCompletionItem[]));

  connection.onCompletion(
    safe('completion', [], async (params) => {
      const program = await programFileAt(params.textDocument?.uri);
      if (program)
        return withinDocument(program.uri, params.position) ? forClient((await completeProgram(sourceOf(program.uri), program.getText(), params.position, live)) as LspCompletionItem[]) : [];
      const yaml = yamlAt(params.textDocument?.uri);
      if (yaml) return withinDocument(params.textDocument.uri, params.position) ? forClient(completeYaml(sourceOf(yaml.uri), yaml.getText(), params.position, live) as LspCompletionItem[]) : [];
      const document = documentAt(params.textDocument?.uri);
      if (!document || !withinDocument(params.textDocument.uri, params.position)) return [];
      return forClient(complete(document, params.position, { moduleDocuments: moduleDocuments(params.textDocument.uri), live }) as LspCompletionItem[]);
    }),
  );

  connection.onHover(
    safe('hover', null, async (params) => {
      const program = await programFileAt(params.textDocument?.uri);
      if (program) return withinDocument(program.uri, params.position) ? ((await hoverProgram(sourceOf(program.uri), program.getText(), params.position)) ?? null) : null;
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
      const yaml = document ? undefined : yamlAt(params.textDocument?.uri);
      if (!document && !yaml) return [];
      const outline = document ? documentOutline(document, settings.maxItemsComputed) : yamlOutline(yaml!.getText(), sourceOf(params.textDocument.uri), settings.maxItemsComputed);
      if (outline.limited && !limitNoticed.has(params.textDocument.uri)) {
        limitNoticed.add(params.textDocument.uri);
        log(
          `${params.textDocument.uri}: the outline has more than ${settings.maxItemsComputed} symbols (shoreline.maxItemsComputed), so it shows ${document ? `${outline.symbols.length} top-level blocks without their contents` : `its first ${settings.maxItemsComputed} symbols`}`,
        );
      }
      return outline.symbols as LspDocumentSymbol[];
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

  /** The text of an open Terraform file or variables file that terraform fmt formats. */
  const formattableAt = (uri: unknown) => {
    if (typeof uri !== 'string') return undefined;
    const kind = kindAt(sourceOf(uri));
    return terraformFeatures && (kind === 'terraform' || kind === 'terraform-vars') ? documents.get(uri) : undefined;
  };

  connection.onDocumentFormatting(
    safe('formatting', [], (params) => {
      const document = formattableAt(params.textDocument?.uri);
      return document ? (formattingEdits(document.getText(), undefined, workspace.document(sourceOf(document.uri))) ?? []) : [];
    }),
  );

  connection.onDocumentRangeFormatting(
    safe('rangeFormatting', [], (params) => {
      const document = formattableAt(params.textDocument?.uri);
      return document && params.range ? (formattingEdits(document.getText(), params.range, workspace.document(sourceOf(document.uri))) ?? []) : [];
    }),
  );

  /** The reference index of the module an open Terraform document belongs to. */
  const referencesAt = (uri: unknown) => {
    const document = terraformFeatures ? documentAt(uri) : undefined;
    return document ? { document, index: moduleReferences(moduleDocuments(uri as string)) } : undefined;
  };

  connection.onReferences(
    safe('references', [], (params) => {
      const found = referencesAt(params.textDocument?.uri);
      if (!found || !isPosition(params.position)) return [];
      const address = addressAt(found.index, found.document.source, params.position);
      if (!address) return [];
      const declarations = params.context?.includeDeclaration
        ? found.index.declarations.filter((declaration) => declaration.address === address).map((declaration) => ({ uri: uriOf(declaration.source), range: declaration.nameRange }))
        : [];
      return [...declarations, ...found.index.references.filter((reference) => reference.address === address).map((reference) => ({ uri: uriOf(reference.source), range: reference.range }))];
    }),
  );

  connection.onPrepareRename(
    safe('prepareRename', null, (params) => {
      const found = referencesAt(params.textDocument?.uri);
      if (!found || !isPosition(params.position)) return null;
      const address = addressAt(found.index, found.document.source, params.position);
      const declaration = found.index.declarations.find((candidate) => candidate.address === address);
      // Only what the module declares (and outputs are read by callers: renaming them is theirs to do).
      if (!declaration || declaration.kind === 'output') return null;
      const at = found.index.references.find((reference) => reference.source === found.document.source && reference.address === address && contains(reference.range, params.position));
      return { range: at?.nameRange ?? declaration.nameRange, placeholder: declaration.name };
    }),
  );

  connection.onRenameRequest(
    safe('rename', null, (params) => {
      const found = referencesAt(params.textDocument?.uri);
      if (!found || !isPosition(params.position)) return null;
      const address = addressAt(found.index, found.document.source, params.position);
      const declarations = found.index.declarations.filter((candidate) => candidate.address === address && candidate.kind !== 'output');
      if (!address || declarations.length === 0) return null;
      if (typeof params.newName !== 'string' || !isValidName(params.newName))
        return new ResponseError(-32602, `'${String(params.newName)}' is not a name Terraform accepts: a letter or underscore, then letters, digits, underscores and dashes`);
      const taken = found.index.declarations.some((candidate) => candidate.kind === declarations[0]!.kind && candidate.address === address.replace(/[^.]+$/, params.newName));
      if (taken) return new ResponseError(-32602, `${address.replace(/[^.]+$/, params.newName)} is already declared in this module`);
      const changes: Record<string, { range: LspRange; newText: string }[]> = {};
      const edit = (source: string, range: LspRange) => (changes[uriOf(source)] ??= []).push({ range, newText: params.newName });
      for (const declaration of declarations) edit(declaration.source, declaration.nameRange);
      for (const reference of found.index.references) if (reference.address === address) edit(reference.source, reference.nameRange);
      return { changes };
    }),
  );

  connection.onCodeLens(
    safe('codeLens', [], (params) => {
      const found = referencesAt(params.textDocument?.uri);
      if (!found) return [];
      const counts = new Map<string, number>();
      for (const reference of found.index.references) counts.set(reference.address, (counts.get(reference.address) ?? 0) + 1);
      return found.index.declarations
        .filter((declaration) => declaration.source === found.document.source && declaration.kind !== 'output')
        .map((declaration) => {
          const count = counts.get(declaration.address) ?? 0;
          return {
            range: declaration.nameRange,
            // The client's own "find references" at the declaration (VS Code: editor.action.findReferences via the extension).
            command: { title: `${count} reference${count === 1 ? '' : 's'}`, command: 'shoreline.findReferences', arguments: [params.textDocument.uri, declaration.nameRange.start] },
          };
        });
    }),
  );

  connection.onSignatureHelp(
    safe('signatureHelp', null, (params) => {
      const uri = params.textDocument?.uri;
      const text = terraformFeatures && documentAt(uri) ? documents.get(uri)?.getText() : undefined;
      return text !== undefined && isPosition(params.position) ? (signatureHelp(text, params.position) ?? null) : null;
    }),
  );

  connection.languages.semanticTokens.on(
    safe('semanticTokens', { data: [] as number[] }, (params) => {
      const document = terraformFeatures ? documentAt(params.textDocument?.uri) : undefined;
      return { data: document ? semanticTokens(document) : [] };
    }),
  );

  connection.onFoldingRanges(
    safe('foldingRange', [], (params) => {
      const document = terraformFeatures ? documentAt(params.textDocument?.uri) : undefined;
      return document ? foldingRanges(document, settings.maxItemsComputed) : [];
    }),
  );

  connection.onSelectionRanges(
    safe('selectionRange', [], (params) => {
      const document = terraformFeatures ? documentAt(params.textDocument?.uri) : undefined;
      return document && Array.isArray(params.positions) ? selectionRanges(document, params.positions.filter(isPosition)) : [];
    }),
  );

  connection.onWorkspaceSymbol(
    safe('workspaceSymbol', [] as SymbolInformation[], (params): SymbolInformation[] => {
      if (!terraformFeatures) return [];
      const all = workspace.modules().flatMap((module) => workspace.documents(module));
      return workspaceSymbols(all, typeof params.query === 'string' ? params.query : '').map((symbol) => ({
        name: symbol.name,
        kind: symbol.kind as SymbolKind,
        location: { uri: uriOf(symbol.source), range: symbol.selectionRange },
        ...(symbol.detail ? { containerName: symbol.detail } : {}),
      }));
    }),
  );

  connection.onDocumentLinks(
    safe('documentLink', [], (params) => {
      const document = terraformFeatures ? documentAt(params.textDocument?.uri) : undefined;
      return document ? documentLinks(document, moduleDocuments(params.textDocument.uri)) : [];
    }),
  );

  connection.onCodeAction(
    safe('codeAction', [], (params) => {
      const uri = params.textDocument?.uri;
      if (typeof uri !== 'string' || !documents.get(uri) || !params.range) return [];
      // The fixes come from what the server published, so clients that do not echo a diagnostic's `data` get them too.
      const known = lastPublished.get(uri)?.diagnostics;
      const given = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics.map(fromLsp) : [];
      const diagnostics = known?.length ? known : given;
      return quickFixes(sourceOf(uri), diagnostics, params.range).map((action) => ({
        title: action.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: action.diagnostics.map(toLsp),
        isPreferred: action.isPreferred,
        edit: { changes: { [uri]: [{ range: action.edit.range, newText: action.edit.newText }] } },
      }));
    }),
  );

  // "Validate Workspace": index every configuration file again and publish its diagnostics.
  connection.onRequest(ShorelineRequests.validateWorkspace, async () => ({ files: await indexWorkspace() }));

  // Counters of the document cache (parses, parsed documents): what scale tests assert instead of timings.
  connection.onRequest(ShorelineRequests.stats, () => workspace.stats());

  connection.onRequest(ShorelineRequests.refreshLiveData, async () => {
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

function mergeSettings(value: ClientSettings): ServerSettings {
  const debounce = Number(value.validation?.debounceMs);
  const maxItems = Number(value.maxItemsComputed ?? DEFAULT_SETTINGS.maxItemsComputed);
  return {
    validation: {
      enable: value.validation?.enable ?? DEFAULT_SETTINGS.validation.enable,
      debounceMs: Number.isFinite(debounce) && debounce >= 0 ? Math.min(debounce, 10_000) : DEFAULT_SETTINGS.validation.debounceMs,
    },
    maxItemsComputed: Number.isInteger(maxItems) && maxItems >= 0 ? maxItems : DEFAULT_SETTINGS.maxItemsComputed,
  };
}
