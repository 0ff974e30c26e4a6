/** A small parser for `--flag value`, `--flag=value`, repeatable and boolean flags. */
export class UsageError extends Error {}

export interface FlagSpec {
  /** Takes a value (otherwise a boolean switch). */
  value?: boolean;
  /** May be given several times (values collected in order). */
  repeat?: boolean;
  /** Another name of this flag (e.g. -o for --output): values are stored under that name. */
  alias?: string;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  positional: string[];
}

export function parseArgs(args: string[], spec: Record<string, FlagSpec>, command: string): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const rule = spec[flag];
    if (!rule) throw new UsageError(`unknown option '${flag}' for ${command} (see 'shoreline ${command} --help')`);
    let value = 'true';
    if (rule.value) {
      const next = inline ?? args[++i];
      if (next === undefined || (inline === undefined && next.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      value = next;
    } else if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
    const name = rule.alias ?? flag;
    const values = flags.get(name) ?? [];
    if (values.length > 0 && !(spec[name] ?? rule).repeat) throw new UsageError(`${flag} was given more than once`);
    values.push(value);
    flags.set(name, values);
  }
  return { flags, positional };
}

/** A positive integer flag value, with the flag named in the error. */
export function integerFlag(flag: string, value: string | undefined, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${value}'`);
  return parsed;
}

/**
 * Runs a command and exits with its status once stdout has drained (reports
 * can be large and piped); a server that keeps running resolves to undefined
 * and is left alone. A usage error is one line; anything else its stack.
 */
export async function finish(run: () => Promise<number | undefined>): Promise<void> {
  let code: number | undefined;
  try {
    code = await run();
  } catch (error) {
    process.stderr.write(`shoreline: ${error instanceof UsageError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    code = 2;
  }
  if (code !== undefined) process.stdout.write('', () => process.exit(code));
}
