// The end-to-end suite in a desktop VS Code downloaded by @vscode/test-electron
// (needs network access to update.code.visualstudio.com and a display, e.g.
// xvfb-run). These machines cannot download VS Code: there the same
// scenarios run in code-server (test/system/vscode-e2e.test.mjs).
//
//   npm run build && xvfb-run -a npm run test:vscode
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'shoreline-vscode-electron-'));
const workspace = join(work, 'examples');
cpSync(join(root, 'examples'), workspace, { recursive: true });
writeFileSync(join(workspace, 'dreamhost-site', 'probe.tf'), 'resource "dreamhost_dns_record" "probe" {\n  record = "probe.example.com"\n  type   = ""\n  value  = "192.0.2.1"\n}\n');
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'vscode', 'suite.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${join(work, 'user-data')}`],
    extensionTestsEnv: { SHORELINE_E2E_MIRROR_CACHE: join(work, 'mirror-cache'), SHORELINE_LIVE_REGISTRY: 'off' },
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
