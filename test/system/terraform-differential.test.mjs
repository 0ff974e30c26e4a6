// The terraform CLI as the judge: for every construct in test/fixtures/hcl-syntax
// (valid and broken, written by the team), Shoreline's verdict "has a syntax
// error" equals `terraform fmt`'s, and the line it reports is within 3 lines of
// Terraform's; the modules in test/fixtures/modules load in `terraform
// providers` and get no error from Shoreline; and formatting every fixture (as
// written and with random whitespace) gives exactly what `terraform fmt -` gives.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkPaths, formatTerraform, parseHcl } from '../../core/dist/index.js';
import { messUp, random } from '../support/messy-hcl.mjs';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };

function terraformAvailable() {
  try {
    execFileSync('terraform', ['version'], { env, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = terraformAvailable() ? false : 'terraform is not on the PATH';
if (skip && process.env.CI) throw new Error('CI must have terraform on the PATH for the differential tests');

/** Terraform's verdict on one file: the line of its first syntax error, or undefined when it parses. */
function terraformVerdict(file) {
  const result = spawnSync('terraform', ['fmt', '-no-color', '-check', '-list=false', file], { env, encoding: 'utf8' });
  if (!/Error:/.test(result.stderr)) return undefined;
  return Number(/on \S+ line (\d+)/.exec(result.stderr)?.[1] ?? 0);
}

function shorelineVerdict(file) {
  const errors = parseHcl(readFileSync(file, 'utf8')).diagnostics.filter((d) => d.severity === 'error');
  return errors.length ? errors[0].range.start.line + 1 : undefined;
}

describe('syntax verdicts equal terraform fmt', { skip }, () => {
  const folder = join(fixtures, 'hcl-syntax');
  const files = readdirSync(folder).filter((name) => name.endsWith('.tf'));
  let valid = 0;
  let broken = 0;
  for (const name of files) {
    it(name, () => {
      const file = join(folder, name);
      const theirs = terraformVerdict(file);
      const ours = shorelineVerdict(file);
      if (theirs === undefined) valid++;
      else broken++;
      assert.equal(
        ours === undefined,
        theirs === undefined,
        theirs === undefined ? `Shoreline reports an error on line ${ours}; terraform fmt accepts the file` : `terraform fmt reports an error on line ${theirs}; Shoreline finds none`,
      );
      if (theirs !== undefined && theirs > 0) assert.ok(Math.abs(ours - theirs) <= 3, `Shoreline's line ${ours} is more than 3 lines from Terraform's ${theirs}`);
    });
  }
  it('the corpus has both valid and broken files', () => {
    assert.ok(valid >= 10 && broken >= 10, `${valid} valid, ${broken} broken`);
  });
});

describe('modules terraform loads get no error', { skip }, () => {
  const folder = join(fixtures, 'modules');
  for (const name of readdirSync(folder)) {
    it(name, async () => {
      const module = join(folder, name);
      const providers = spawnSync('terraform', ['providers'], { cwd: module, env, encoding: 'utf8' });
      assert.equal(providers.status, 0, `terraform providers failed: ${providers.stderr}`);
      const { files, errors } = await checkPaths([module]);
      assert.deepEqual(errors, []);
      const problems = files.flatMap((file) => file.diagnostics.filter((d) => d.severity === 'error').map((d) => `${file.path}:${d.range.start.line + 1} ${d.code} ${d.message}`));
      assert.deepEqual(problems, []);
    });
  }
});

describe('formatting equals terraform fmt, byte for byte', { skip }, () => {
  /** Every .tf and .tfvars fixture the team wrote, as written and with its whitespace messed up. */
  const files = ['fmt', 'hcl-syntax', 'modules', 'valid']
    .flatMap((folder) => filesUnder(join(fixtures, folder)))
    .filter((file) => /\.(tf|tfvars)$/.test(file) && !file.includes(`${join('fmt', 'expected')}`));
  const terraformFmt = (text) => {
    const result = spawnSync('terraform', ['fmt', '-no-color', '-'], { env, input: text, encoding: 'utf8' });
    return result.status === 0 ? result.stdout : undefined;
  };
  it(`the corpus: ${files.length} files, each as written and 3 times with random whitespace`, () => {
    const next = random(Number(process.env.FMT_SEED ?? 20261202));
    let compared = 0;
    for (const file of files) {
      const original = readFileSync(file, 'utf8');
      const variants = [original];
      // Only text Terraform formats gets messed up (broken files stay broken either way).
      if (terraformFmt(original) !== undefined) for (let round = 0; round < 3; round++) variants.push(messUp(original, next));
      for (const text of variants) {
        assert.equal(formatTerraform(text), terraformFmt(text), `${file}:\n${text}`);
        compared++;
      }
    }
    assert.ok(compared > 100, `${compared} texts compared`);
  });
});

function filesUnder(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)]));
}

describe('built-in function signatures are the CLI’s', { skip }, () => {
  it('every function `terraform metadata functions` lists has its signature', async () => {
    const { FUNCTION_SIGNATURES } = await import('../../core/dist/terraform/functions.data.js');
    const listed = JSON.parse(execFileSync('terraform', ['metadata', 'functions', '-json'], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).function_signatures;
    for (const [name, signature] of Object.entries(listed)) {
      if (name.includes('::')) continue;
      assert.ok(FUNCTION_SIGNATURES[name], `${name} is missing: run node scripts/gen-functions.mjs`);
      assert.equal(FUNCTION_SIGNATURES[name][0].length, (signature.parameters ?? []).length, name);
    }
  });
});
