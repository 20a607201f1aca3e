// Argument parsing shared by every knr subcommand: flags, `--kernel`/`KNR_KERNEL`, `--cache`/`KNR_CACHE`.

export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Parses `--name value`, `--name=value` and boolean `--name` (when `name` is in `booleans`). */
export function parseArgs(argv: string[], booleans: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (booleans.includes(name)) flags.set(name, true);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new UsageError(`option --${name} needs a value`);
  }
  return { positional, flags };
}

export function stringFlag(
  args: ParsedArgs,
  name: string,
  envName?: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new UsageError(`option --${name} needs a value`);
  return value ?? (envName ? env[envName] : undefined);
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}
