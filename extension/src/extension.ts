import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Starts the bundled Shoreline language server over IPC; everything else lives in the server and the core. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const server = context.asAbsolutePath('dist/shoreline.mjs');
  const serverOptions: ServerOptions = {
    run: { module: server, args: ['lsp'], transport: TransportKind.ipc },
    debug: { module: server, args: ['lsp'], transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Shoreline', { log: true });
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
  context.subscriptions.push(outputChannel);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
