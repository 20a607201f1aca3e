// What may be compiled and run as root: a live run executes the scenario file itself, so the file must
// be a scenario and nothing more. At the top level only `#include <...>` (system and knr_scenario.h
// headers, never a quoted path), comments, `knr_description` and `main`; a macro or another function
// would run unseen by the parser. Inside main, every call (nested ones too) is one of the helper set,
// and knr_sysctl names a per-namespace sysctl (scenario/sysctls.ts).
import type { Node } from 'web-tree-sitter';
import type { Expr, ScenarioProgram, Statement } from '../scenario/ast';
import { walkExpr } from '../scenario/ast';
import { scenarioCall } from '../scenario/helpers';
import { sysctlNameProblem } from '../scenario/sysctls';
import { createCParser } from '../parse/c-parser';

export class AdmissionError extends Error {}

/** `<sys/socket.h>`, `<linux/if_packet.h>`: relative, no segment starting with a dot, ending in .h. */
const headerName = /^<[\w+-][\w+.-]*(\/[\w+-][\w+.-]*)*\.h>$/;

function declaredName(node: Node): string | undefined {
  let declarator = node.childForFieldName('declarator');
  while (declarator && declarator.type !== 'identifier')
    declarator = declarator.childForFieldName('declarator');
  return declarator?.text;
}

function topLevelProblem(node: Node): string | undefined {
  switch (node.type) {
    case 'comment':
      return undefined;
    case 'preproc_include': {
      const path = node.childForFieldName('path');
      if (path?.type !== 'system_lib_string') return 'only #include <...> headers may be included';
      // gcc opens `<...>` paths as written when absolute and walks `..`: only header names may appear.
      return headerName.test(path.text) ? undefined : `${path.text} is not a header name`;
    }
    case 'declaration':
      return declaredName(node) === 'knr_description'
        ? undefined
        : 'only knr_description may be declared here';
    case 'function_definition':
      return declaredName(node) === 'main' ? undefined : 'only main may be defined';
    default:
      return `a ${node.type.replace(/_/g, ' ')} is not allowed at the top level`;
  }
}

function expressionsOf(statement: Statement): Expr[] {
  switch (statement.kind) {
    case 'expression':
      return [statement.expr];
    case 'assignment':
      return [statement.value];
    case 'for':
      return [statement.start, statement.bound];
    case 'declaration': {
      const exprs = statement.init ? [statement.init] : [];
      if (statement.array !== undefined && statement.array !== 'unsized') exprs.push(statement.array);
      return exprs;
    }
    default:
      return [];
  }
}

function statementsOf(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((s) => (s.kind === 'for' ? [s, ...statementsOf(s.body)] : [s]));
}

/** Throws an AdmissionError listing every reason the file may not run live, each with its position. */
export async function admitForLive(source: string, program: ScenarioProgram): Promise<void> {
  const problems: string[] = [];
  const at = (line: number, column: number, message: string) =>
    problems.push(`${program.file}:${line + 1}:${column + 1}: ${message} in a scenario that runs live`);

  const parser = await createCParser();
  const tree = parser.parse(source);
  parser.delete();
  if (!tree) throw new AdmissionError(`${program.file}: tree-sitter could not parse the file`);
  try {
    for (const node of tree.rootNode.namedChildren) {
      const problem = topLevelProblem(node);
      if (problem) at(node.startPosition.row, node.startPosition.column, problem);
    }
  } finally {
    tree.delete();
  }

  for (const statement of statementsOf(program.statements)) {
    const exprs = expressionsOf(statement);
    for (const expr of exprs) {
      for (const node of walkExpr(expr)) {
        if (node.kind === 'call' && !scenarioCall(node.callee)) {
          at(node.calleeSpan.line, node.calleeSpan.column, `'${node.callee}' is not in the helper set`);
        }
        // A sysctl is written as root: only the scenario namespace's own, never the host's.
        const sysctlProblem =
          node.kind === 'call' && node.callee === 'knr_sysctl' ? sysctlNameProblem(node.args[0]) : undefined;
        if (sysctlProblem) at(node.span.line, node.span.column, sysctlProblem);
      }
    }
  }
  if (problems.length > 0) throw new AdmissionError(problems.join('\n'));
}
