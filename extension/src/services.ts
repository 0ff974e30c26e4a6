import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';

export type ServiceKind = 'mirror' | 'ddns';
export type ServiceState = 'stopped' | 'starting' | 'running' | 'error';

/** How to start one background service: the CLI arguments and environment, from settings and secrets. */
export interface LaunchPlan {
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * One background service (the registry mirror or the DDNS watcher) run by
 * the `shoreline` CLI inside a VS Code task. The task's pseudoterminal shows
 * its output; this object keeps its state for the status bar and commands,
 * whoever started it (a command, the status bar, Run Task or tasks.json).
 */
export class BackgroundService implements vscode.Disposable {
  state: ServiceState = 'stopped';
  /** What the last start failed with, or the latest error line. */
  error: string | undefined;
  private execution: vscode.TaskExecution | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly lineListeners: ((line: string, stream: 'stdout' | 'stderr') => void)[] = [];

  constructor(
    readonly kind: ServiceKind,
    readonly output: vscode.LogOutputChannel,
    private readonly cli: string,
    private readonly plan: () => Promise<LaunchPlan>,
  ) {}

  onLine(listener: (line: string, stream: 'stdout' | 'stderr') => void): void {
    this.lineListeners.push(listener);
  }

  set(state: ServiceState, error?: string): void {
    this.state = state;
    this.error = error;
    this.changed.fire();
  }

  /** The task the provider offers and resolves for this service. */
  task(definition: vscode.TaskDefinition = { type: 'shoreline', task: this.kind }): vscode.Task {
    const task = new vscode.Task(
      definition,
      vscode.TaskScope.Workspace,
      this.kind === 'mirror' ? 'Registry mirror' : 'DDNS watcher',
      'shoreline',
      new vscode.CustomExecution(async () => new ServiceTerminal(this, this.cli, await this.plan())),
    );
    task.isBackground = true;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    return task;
  }

  async start(): Promise<void> {
    if (this.state === 'running' || this.state === 'starting') return;
    this.set('starting');
    this.execution = await vscode.tasks.executeTask(this.task());
  }

  stop(): void {
    const running = this.execution ?? vscode.tasks.taskExecutions.find((execution) => execution.task.definition.type === 'shoreline' && execution.task.definition['task'] === this.kind);
    running?.terminate();
    this.execution = undefined;
  }

  /** Called by the terminal for every line the process prints. */
  line(text: string, stream: 'stdout' | 'stderr'): void {
    for (const listener of this.lineListeners) listener(text, stream);
  }

  dispose(): void {
    this.stop();
    this.changed.dispose();
  }
}

/** The pseudoterminal of a running service: spawns the CLI, shows and forwards its output, stops it on close. */
class ServiceTerminal implements vscode.Pseudoterminal {
  private readonly write = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.closed.event;
  private child: ChildProcess | undefined;

  constructor(
    private readonly service: BackgroundService,
    private readonly cli: string,
    private readonly plan: LaunchPlan,
  ) {}

  open(): void {
    const service = this.service;
    service.set('starting');
    service.output.info(`starting: shoreline ${this.plan.args.join(' ')}`);
    // The extension host's own Node (Electron's, run as Node): no separate runtime to install.
    const child = spawn(process.execPath, [this.cli, ...this.plan.args], { env: { ...this.plan.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let lastError = '';
    const forward = (stream: 'stdout' | 'stderr') => {
      let pending = '';
      return (chunk: Buffer): void => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          this.write.fire(`${line}\r\n`);
          if (stream === 'stderr') {
            service.output.appendLine(line);
            if (line.startsWith('shoreline:') || /"level":"error"/.test(line)) lastError = line.replace(/^shoreline: /, '');
            // A list of problems under its heading ("the configuration is not valid:" then "  - ..."): all of them, not the heading alone.
            else if (/^\s+- /.test(line) && lastError) lastError = `${lastError.replace(/:$/, '')}${lastError.endsWith(':') ? ': ' : '; '}${line.trim().slice(2)}`;
          } else service.output.info(line);
          service.line(line, stream);
        }
      };
    };
    child.stdout!.on('data', forward('stdout'));
    child.stderr!.on('data', forward('stderr'));
    child.on('error', (error) => {
      service.set('error', error.message);
      this.closed.fire(1);
    });
    child.on('exit', (code, signal) => {
      const failed = code !== 0 && signal !== 'SIGTERM';
      service.output.info(`stopped (${signal ?? `exit ${code}`})`);
      service.set(failed ? 'error' : 'stopped', failed ? lastError || `exited with ${code}` : undefined);
      this.closed.fire(code ?? 0);
    });
  }

  close(): void {
    this.child?.kill('SIGTERM');
  }
}
