// `knr mcp`: the kernel index as Model Context Protocol tools for coding agents, over stdio. Each tool
// runs the same function as its CLI command and answers with that command's `--json` shape, so an
// agent and a script reading `knr ... --json` see the same results.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { KernelIndex } from '../index/kernel-index';
import { compareScenarioFile } from '../live/compare-scenario';
import { liveUnsupportedReason } from '../live/support';
import { listLibrary, resolveScenarioPath } from '../scenario/library';
import { fileSourceReader } from '../trace/anchors';
import { traceScenarioFile } from '../trace/api';
import { checkModels } from '../trace/check-models';
import { renderTraceText } from '../trace/render-text';
import { toolVersion } from '../version';
import { calleesCommand } from '../cli/commands/callees';
import { callersCommand } from '../cli/commands/callers';
import { comparisonReport } from '../cli/commands/compare';
import { definitionQuery } from '../cli/commands/definition';
import { implsCommand } from '../cli/commands/impls';
import { resolveCommand } from '../cli/commands/resolve';
import type { QueryCommand } from '../cli/query-command';

const cite =
  'Cite each result as file:line (paths relative to the kernel tree root, lines 1-based, as the `file` and `line` fields give them).';

/** A tool's answer: the JSON that the CLI's `--json` prints, then any text rendering. */
function answer(json: unknown, ...texts: string[]): CallToolResult {
  return {
    content: [
      { type: 'text', text: JSON.stringify(json, null, 2) },
      ...texts.map((text) => ({ type: 'text' as const, text })),
    ],
  };
}

/** A query command's `{ ...json, results }`, as `knr <command> --json` prints it but for `queryMs`. */
function queryAnswer<T>(command: QueryCommand<T>, index: KernelIndex, argument: string, options?: string[]) {
  const result = command.answer(index, argument, options);
  return answer({ ...result.json, results: result.results });
}

/**
 * The MCP server over an index being opened: each tool waits for `index` (a cold index of a whole
 * tree takes minutes; a persisted one, seconds).
 */
export function createMcpServer(index: Promise<KernelIndex>): McpServer {
  const server = new McpServer({ name: 'kernel-net-reader', version: toolVersion });

  server.registerTool(
    'definition',
    {
      title: 'Definition',
      description:
        'Where a C identifier of the kernel tree is defined (function, struct, field, ops table, macro, ' +
        "constant, typedef), best first, as an editor's go-to-definition answers. Give a NAME, or a " +
        'position FILE:LINE:COL (the identifier there is resolved in its context: a parameter or local in scope, ' +
        `else a static of that file first, a field through its struct). Same as \`knr definition --json\`. ${cite}`,
      inputSchema: {
        query: z
          .string()
          .describe('a C identifier (tcp_sendmsg) or FILE:LINE:COL, e.g. net/socket.c:1093:15 (1-based)'),
      },
    },
    async ({ query }) => {
      const find = await definitionQuery(query);
      const found = find(await index);
      if (found.definitions.length === 0) throw new Error(`no definition of ${found.asked} in the tree`);
      return answer(found.definitions);
    },
  );

  server.registerTool(
    'implementations',
    {
      title: 'Implementations of an ops-table field',
      description:
        'Every function installed in STRUCT.FIELD (e.g. proto_ops.recvmsg): the ops tables that set the ' +
        'field (`table`, `element` for an array of tables) and run-time assignments (`assignedIn`: the ' +
        'function that assigns it), each with its evidence (initializer, assignment, type-matched call, ' +
        'name only). Answers "which functions can sock->ops->recvmsg call". Same as `knr impls --json`: ' +
        `\`file:line\` is the function, \`at\` the slot or assignment. ${cite}`,
      inputSchema: {
        field: z.string().describe('STRUCT.FIELD, e.g. proto_ops.recvmsg'),
      },
    },
    async ({ field }) => queryAnswer(implsCommand, await index, field),
  );

  server.registerTool(
    'resolve',
    {
      title: 'Resolve a call',
      description:
        'The callee of the call at FILE:LINE:COL: for an indirect call such as sock->ops->recvmsg(...), ' +
        'the struct and field it goes through and every implementation; for a direct call, the function ' +
        `or macro called. Same as \`knr resolve --json\` (\`call\` describes the call). ${cite}`,
      inputSchema: {
        position: z
          .string()
          .describe(
            'FILE:LINE:COL, FILE relative to the kernel root, LINE and COL 1-based, on the callee name',
          ),
      },
    },
    async ({ position }) => queryAnswer(resolveCommand, await index, position),
  );

  const fromFile = z
    .string()
    .optional()
    .describe('of several definitions of FUNCTION, the one this file (relative to the root) sees');
  const callEdgesTool = (
    command: QueryCommand<unknown>,
    title: string,
    description: string,
    example: string,
  ) =>
    server.registerTool(
      command.name,
      {
        title,
        description: `${description} Same as \`knr ${command.name} --json\`. ${cite}`,
        inputSchema: { function: z.string().describe(`a function name, e.g. ${example}`), from: fromFile },
      },
      async ({ function: name, from }) =>
        queryAnswer(command, await index, name, from ? ['--from', from] : []),
    );
  callEdgesTool(
    callersCommand,
    'Callers',
    'Who calls FUNCTION: direct calls, calls through an ops-table field the function is installed ' +
      "in (how: 'indirect', with struct, field and tables: the ops hop), and functions that pass it " +
      "as an argument (how: 'argument'). `call` is where the call is.",
    'packet_recvmsg',
  );
  callEdgesTool(
    calleesCommand,
    'Callees',
    'What FUNCTION calls: direct calls and function-like macros, and for each indirect call through ' +
      "an ops-table field every implementation of that field (how: 'indirect', with struct, field and " +
      'tables: the ops hop). `call` is where the call is in FUNCTION.',
    'sock_recvmsg',
  );

  server.registerTool(
    'scenarios',
    {
      title: 'List scenarios',
      description:
        'The built-in scenarios: small C programs (socket, bind, sendto, recvmsg...) that the trace tool ' +
        'runs on the models of the kernel. Each has a name (what trace and compare_live take), a ' +
        'one-line description and its file. Same as `knr scenarios --json`.',
    },
    async () => answer(await listLibrary()),
  );

  const scenario = z
    .string()
    .describe('a built-in scenario name (see the scenarios tool) or the path of a scenario file');
  server.registerTool(
    'trace',
    {
      title: 'Trace a scenario',
      description:
        'Runs a scenario on the executable models of the kernel functions on the socket paths and ' +
        'answers what the kernel does on that path: the first content is `knr trace --json` ' +
        '({ events, results, ... }: every function entered, branch taken, ops hop and value, each placed on ' +
        'a line of the kernel source), the second the text rendering (annotated kernel source). A trace ' +
        'is the models\u2019 account, not a run of the real kernel (compare_live checks them against it). ' +
        cite,
      inputSchema: { scenario },
    },
    async ({ scenario: name }) => {
      const file = resolveScenarioPath(name);
      const outcome = await traceScenarioFile(file, await index);
      const problems = outcome.diagnostics.map(
        (d) => `${file}:${d.span.line + 1}:${d.span.column + 1}: ${d.severity}: ${d.message}`,
      );
      if (!outcome.trace) throw new Error(problems.join('\n'));
      return answer(outcome.trace, renderTraceText(outcome.trace), ...problems);
    },
  );

  server.registerTool(
    'check_models',
    {
      title: 'Check the models',
      description:
        "Whether every model's anchors (source patterns in the modelled kernel function) still match " +
        'this tree: resolved anchors with their file and line, unresolved ones (the model drifted from ' +
        'the source) and known per-version differences. Same as `knr check-models --json`. ' +
        cite,
    },
    async () => {
      const tree = await index;
      return answer(checkModels(tree, fileSourceReader(tree.root)));
    },
  );

  server.registerTool(
    'compare_live',
    {
      title: 'Compare with the live kernel',
      description:
        'Runs a scenario on the models and on the running kernel (compiled with gcc, in private network ' +
        'namespaces that are always deleted) and compares every result field: `agree`, and each ' +
        'difference. Only when this server runs as root on Linux with iproute2 and gcc; otherwise the ' +
        'answer says which of these is missing. Same as `knr compare --json`.',
      inputSchema: { scenario },
    },
    async ({ scenario: name }) => {
      const file = resolveScenarioPath(name);
      const unsupported = liveUnsupportedReason();
      if (unsupported)
        return {
          content: [{ type: 'text', text: `cannot compare with the live kernel: ${unsupported}` }],
          isError: true,
        };
      const tree = await index;
      return answer(comparisonReport(await compareScenarioFile(file, tree), tree));
    },
  );

  return server;
}
