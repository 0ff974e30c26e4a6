#!/usr/bin/env node
// CommonJS (bin/package.json), so that the DDNS watcher starts without the ES
// module loader: every other command is the ES module bundle.
if (process.argv[2] === 'ddns') require('../dist/ddns-watcher.cjs');
else import('../dist/shoreline.mjs');
