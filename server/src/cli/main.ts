// The process entry of knr (bundled to dist/cli.js).
import type { CommandOutput } from './command';
import { runKnr } from './knr';

const output: CommandOutput = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  isTTY: Boolean(process.stdout.isTTY),
};
runKnr(process.argv.slice(2), output).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`knr: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
