import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Credentials live in VS Code's SecretStorage, never in settings.json; the server gets them in its environment only. */
const SECRETS = {
  dreamhost: { key: 'shoreline.dreamhostApiKey', variable: 'DREAMHOST_API_KEY', prompt: 'DreamHost API key (from the DreamHost panel, with the dns-* functions enabled); empty to remove it' },
  lagoon: { key: 'shoreline.lagoonToken', variable: 'LAGOON_TOKEN', prompt: 'Lagoon API token; empty to remove it' },
} as const;

async function serverEnvironment(secrets: vscode.SecretStorage): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const secret of Object.values(SECRETS)) {
    const value = await secrets.get(secret.key);
    if (value) env[secret.variable] = value;
  }
  return env;
}

async function startClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): Promise<void> {
  const server = context.asAbsolutePath('dist/shoreline.mjs');
  const env = await serverEnvironment(context.secrets);
  const serverOptions: ServerOptions = {
    run: { module: server, args: ['lsp'], transport: TransportKind.ipc, options: { env } },
    debug: { module: server, args: ['lsp'], transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'terraform' },
      { scheme: 'untitled', language: 'terraform' },
      // Pulumi YAML programs and .lagoon.yml, whatever language the YAML extension gives them.
      { scheme: 'file', pattern: '**/{Pulumi.yaml,Pulumi.yml,Main.yaml,Main.yml,.lagoon.yml,.lagoon.yaml}' },
    ],
    // The server pulls the "shoreline" settings and registers its own file watchers.
    outputChannel,
  };
  client = new LanguageClient('shoreline', 'Shoreline', serverOptions, clientOptions);
  await client.start();
}

async function restartClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): Promise<void> {
  await client?.stop();
  client = undefined;
  await startClient(context, outputChannel);
}

/** Starts the bundled Shoreline language server over IPC; everything else lives in the server and the core. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('Shoreline', { log: true });
  context.subscriptions.push(outputChannel);
  for (const [name, secret] of Object.entries(SECRETS)) {
    const command = name === 'dreamhost' ? 'shoreline.setDreamhostApiKey' : 'shoreline.setLagoonToken';
    context.subscriptions.push(
      vscode.commands.registerCommand(command, async () => {
        const value = await vscode.window.showInputBox({ prompt: secret.prompt, password: true, ignoreFocusOut: true });
        if (value === undefined) return;
        if (value.trim() === '') await context.secrets.delete(secret.key);
        else await context.secrets.store(secret.key, value.trim());
        // The server reads credentials at start: restart it with the new environment.
        await restartClient(context, outputChannel);
      }),
    );
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('shoreline.refreshLiveData', async () => {
      const statuses = (await client?.sendRequest('shoreline/refreshLiveData')) as { name: string; state: string; error?: string }[] | undefined;
      const summary = (statuses ?? []).map((status) => `${status.name}: ${status.state}${status.error ? ` (${status.error})` : ''}`).join(', ');
      void vscode.window.showInformationMessage(`Shoreline live data refreshed — ${summary || 'no sources'}`);
    }),
  );
  await startClient(context, outputChannel);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
