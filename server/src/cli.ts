import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';
// Each command loads its own capability when it runs: the DDNS watcher and the mirror, long-running,
// do not carry the check engine's code (nor `shoreline check` the language server's).
import { OUTPUT_FORMATS, type OutputFormat } from '../../core/src/check/format.js';
import pkg from '../../package.json' with { type: 'json' };
import { finish, parseArgs, UsageError } from './args.js';

const HELP = `Usage: shoreline <command> [options]

Editor tooling for DreamHost DNS and Lagoon infrastructure-as-code, headless.

Commands:
  check [PATH...]   Validate Terraform (.tf, .tfvars, .tfvars.json), Pulumi
                    programs (YAML, Python, TypeScript) and .lagoon.yml files
                    under PATH (files or folders; default: the current folder)
  lsp --stdio       Run the language server (also --node-ipc, --socket=PORT)
  mirror            Run a caching mirror of Terraform registries
  ddns              Keep DNS records pointing at this machine's address

Options:
  -h, --help        Show help (also: shoreline <command> --help)
  -v, --version     Show the version
`;

const CHECK_HELP = `Usage: shoreline check [PATH...] [--format text|json|sarif] [--output FILE] [--exit-zero]

Validates the configurations under each PATH:
- Terraform (.tf): HCL syntax as Go HCL (terraform fmt) judges it,
  Terraform's own blocks (labels, arguments, nested blocks), the
  dreamhost_dns_record resource and data sources (record names, values per
  record type, import IDs), the DNS records of Cloudflare, Route 53, Cloud
  DNS, Azure DNS and DigitalOcean (each provider's arguments, names and value
  forms), required_providers, and zone rules across each folder's .tf files
  (one folder is one module; override files merge into it);
- Terraform variables files (.tfvars, .tfvars.json): assignments to the
  variables the module beside them (or the folder above) declares, with
  values their declared types accept;
- Pulumi YAML programs (Pulumi.yaml, Main.yaml): the Lagoon provider's
  resources (properties, values, secrets, references, duplicates) and
  DreamHost records declared through the bridged provider;
- Pulumi programs in Python and TypeScript/JavaScript: the same checks on
  the resources the SDKs construct (pulumi_lagoon,
  @tag1consulting/pulumi-lagoon, pulumi_dreamhost, @pulumi/dreamhost), and
  the DNS records of pulumi_cloudflare, pulumi_aws, pulumi_gcp and
  pulumi_digitalocean (@pulumi/... in TypeScript). A
  project's program is its Pulumi.yaml's runtime and main (__main__.py;
  package.json main or index.ts) and the local modules it imports; other .py
  and .ts files get nothing, and one named directly must belong to a program;
- .lagoon.yml: keys, tasks, route domains, cron schedules, backups and
  container registries.
Folders are searched recursively; .terraform/, node_modules/ and .git/ are
skipped, and so are the files Terraform ignores (.name.tf, name.tf~). Other
files get no findings.

Options:
  --format FORMAT   text (default): file:line:col severity code message
                    json: an array of {file, range, severity, code, source,
                          message}, lines and characters 0-based (LSP)
                    sarif: SARIF 2.1.0, for code-scanning uploads
  --output FILE     Write the report to FILE instead of standard output
  --exit-zero       Exit 0 even when errors are found

Exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input.
`;

const LSP_HELP = `Usage: shoreline lsp --stdio | --node-ipc | --socket=PORT

Runs the Shoreline language server: diagnostics for whole Terraform modules,
completion, hover, quick fixes, document symbols and go-to-definition for
DreamHost DNS records. Any LSP client can start it; the VS Code extension uses
--node-ipc.

Settings (workspace/configuration section "shoreline", or initializationOptions):
  validation.enable       publish diagnostics (default true)
  validation.debounceMs   delay after an edit before validating (default 200)
`;

/** Starts the language server; it runs until the client sends exit. */
async function runLsp(args: string[]): Promise<number | undefined> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(LSP_HELP);
    return 0;
  }
  const transport = args.find((arg) => arg === '--stdio' || arg === '--node-ipc' || arg.startsWith('--socket=') || arg.startsWith('--pipe='));
  if (!transport) throw new UsageError("lsp needs a transport: --stdio, --node-ipc or --socket=PORT (see 'shoreline lsp --help')");
  // A long-running server with many large files open: the heap grows by a
  // quarter at a time instead of V8's up to fourfold, so garbage does not pile
  // up (measured with 100 open 250 KB files: ~680 MiB RSS instead of ~1.6 GiB).
  // --optimize-for-size kept it smaller still but made every edit twice as slow.
  v8.setFlagsFromString('--heap-growing-percent=25');
  const { startServer } = await import('./server.js');
  startServer();
  return undefined;
}

interface CheckArgs {
  paths: string[];
  format: OutputFormat;
  output?: string;
  exitZero: boolean;
  help: boolean;
}

// Repeatable, as before: the last value given wins.
const CHECK_SPEC = {
  '--help': { repeat: true },
  '-h': { alias: '--help' },
  '--format': { value: true, repeat: true },
  '--output': { value: true, repeat: true },
  '-o': { value: true, alias: '--output' },
  '--exit-zero': { repeat: true },
};

function parseCheckArgs(args: string[]): CheckArgs {
  const { flags, positional } = parseArgs(args, CHECK_SPEC, 'check');
  const format = flags.get('--format')?.at(-1) ?? 'text';
  if (!OUTPUT_FORMATS.includes(format as OutputFormat)) throw new UsageError(`unknown format '${format}'; expected one of ${OUTPUT_FORMATS.join(', ')}`);
  const output = flags.get('--output')?.at(-1);
  return { paths: positional, format: format as OutputFormat, ...(output !== undefined ? { output } : {}), exitZero: flags.has('--exit-zero'), help: flags.has('--help') };
}

async function runCheck(args: string[]): Promise<number> {
  const options = parseCheckArgs(args);
  if (options.help) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  // Each file's syntax tree is garbage once the file is analysed; V8's default growth (up to fourfold)
  // lets it pile up. Growing by 40% keeps 100,000 records in 25 files at 240-290 MiB peak (by half: 250-310) for a few percent of time.
  v8.setFlagsFromString('--heap-growing-percent=40');
  const { checkPaths, countBySeverity, formatJson, formatSarif, formatText } = await import('../../core/src/check/index.js');
  const result = await checkPaths(options.paths);
  for (const error of result.errors) process.stderr.write(`shoreline: ${error.path}: ${error.message}\n`);
  const report =
    options.format === 'json'
      ? formatJson(result)
      : options.format === 'sarif'
        ? formatSarif(result, { name: 'shoreline', version: pkg.version, informationUri: 'https://github.com/shoreline-dev/shoreline' })
        : formatText(result);
  if (options.output) writeFileSync(options.output, report);
  else process.stdout.write(report);
  if (result.errors.length > 0) return 2;
  return countBySeverity(result).error > 0 && !options.exitZero ? 1 : 0;
}

/** Runs a command; resolves to its exit status, or undefined for a server that keeps running. */
export async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case '-v':
    case '--version':
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    case 'check':
      return await runCheck(rest);
    case 'lsp':
      return await runLsp(rest);
    case 'ddns':
      // bin/shoreline.js starts the watcher from its own bundle (ddns-main.ts); this path is the extension's, whose .vsix has no node_modules for that bundle.
      return await (await import('./ddns-command.js')).runDdns(rest);
    case 'mirror':
      return await (await import('./mirror-command.js')).runMirror(rest);
    default:
      throw new UsageError(`unknown command '${command}'; run 'shoreline --help'`);
  }
}

await finish(() => main(process.argv.slice(2)));
