// `shoreline ddns` on its own: bin/shoreline.js loads this CommonJS bundle for
// the watcher, so a process that runs for months carries neither Node's ES
// module loader nor the other commands' code (measured: ~1.5 MiB of ~47 MiB).
import { finish } from './args.js';
import { runDdns } from './ddns-command.js';

void finish(() => runDdns(process.argv.slice(3)));
