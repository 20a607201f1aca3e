// The process entry of knr (bundled to dist/cli.js).
import type { CommandOutput } from './command';
import { runKnr } from './knr';

const output: CommandOutput = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  isTTY: Boolean(process.stdout.isTTY),
};
// A reader that stops reading (`knr definition NULL | head -1`) has all it wants: stop, quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
runKnr(process.argv.slice(2), output).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`knr: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
