import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { contributionMode, HASHICORP_TERRAFORM, wantedContributionMode, withContributionMode } from '../../core/src/language/coexistence.js';

/**
 * Keeps this extension's manifest in the form that fits the installed
 * extensions (core/src/language/coexistence.ts): without HashiCorp's
 * Terraform extension our grammar and language configuration; with it none,
 * so its colouring is never replaced. A change takes effect at the next
 * window reload, which is offered. Only an installed copy is rewritten,
 * never a development checkout.
 */
export async function reconcileContributions(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  if (context.extensionMode !== vscode.ExtensionMode.Production) return;
  const hashicorp = vscode.extensions.getExtension(HASHICORP_TERRAFORM) !== undefined;
  const file = join(context.extensionPath, 'package.json');
  const wanted = wantedContributionMode(hashicorp);
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    if (contributionMode(manifest) === wanted) return;
    // Written beside and renamed over: a crash never leaves a half-written manifest, which would disable the extension.
    const temporary = join(context.extensionPath, `.package.${randomUUID()}.json`);
    try {
      await writeFile(temporary, `${JSON.stringify(withContributionMode(manifest, wanted), null, 2)}\n`);
      await rename(temporary, file);
    } finally {
      await rm(temporary, { force: true });
    }
  } catch (error) {
    log.warn(
      `could not ${wanted === 'alongside' ? 'leave Terraform colouring to HashiCorp’s extension' : 'contribute Terraform colouring'} (${(error as Error).message}); the installed manifest stays as it is`,
    );
    return;
  }
  log.info(
    wanted === 'alongside'
      ? 'HashiCorp’s Terraform extension is installed: its grammar and language configuration are used from the next reload'
      : 'Shoreline’s Terraform grammar is used from the next reload',
  );
  const message =
    wanted === 'alongside'
      ? 'Shoreline leaves Terraform syntax colouring to HashiCorp’s Terraform extension from the next window reload (diagnostics and completion stay).'
      : 'HashiCorp’s Terraform extension is gone: Shoreline colours Terraform files from the next window reload.';
  const choice = await vscode.window.showInformationMessage(message, 'Reload Window');
  if (choice === 'Reload Window') await vscode.commands.executeCommand('workbench.action.reloadWindow');
}
