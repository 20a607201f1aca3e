import type { Command } from '../command';
import { bpfCommand } from './bpf';
import { calleesCommand } from './callees';
import { checkModelsCommand } from './check-models';
import { compareCommand } from './compare';
import { callersCommand } from './callers';
import { definitionCommand } from './definition';
import { diffCommand } from './diff';
import { implsCommand } from './impls';
import { indexCommand } from './index-tree';
import { liveCommand } from './live';
import { lspCommand } from './lsp';
import { mcpCommand } from './mcp';
import { resolveCommand } from './resolve';
import { scenariosCommand } from './scenarios';
import { tablesCommand } from './tables';
import { traceCommand } from './trace';

/** Every knr subcommand, in the order `knr --help` lists them. */
export const commands: readonly Command[] = [
  indexCommand,
  implsCommand,
  resolveCommand,
  definitionCommand,
  tablesCommand,
  callersCommand,
  calleesCommand,
  scenariosCommand,
  traceCommand,
  diffCommand,
  checkModelsCommand,
  liveCommand,
  compareCommand,
  bpfCommand,
  lspCommand,
  mcpCommand,
];
