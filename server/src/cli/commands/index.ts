import type { Command } from '../command';
import { bpfCommand } from './bpf';
import { liveCommand } from './live';
import { lspCommand } from './lsp';

/** Every knr subcommand, in the order `knr --help` lists them. */
export const commands: readonly Command[] = [bpfCommand, liveCommand, lspCommand];
