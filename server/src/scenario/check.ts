// Checks a parsed scenario before it runs: every call is in the helper set with the right number of
// arguments, every name is a declared variable or a constant of the header or the indexed tree, and
// every declared type has a known layout. Each problem is a diagnostic at its position.
import {
  walkExpr,
  type Expr,
  type ScenarioDiagnostic,
  type ScenarioProgram,
  type Statement,
  type TypeName,
} from './ast';
import type { ScenarioConstants } from './constants';
import { scenarioCall } from './helpers';
import { opaquePointerTypes, typeLayouts } from './layouts';
import { sysctlNameProblem } from './sysctls';

function typeProblem(type: TypeName): string | undefined {
  if (type.pointer > 0 && opaquePointerTypes.has(type.base)) return undefined;
  if (type.pointer > 0 && (type.base === 'char' || type.base === 'void')) return undefined;
  if (typeLayouts[type.base] && type.pointer === 0) return undefined;
  return `the type '${type.base}${'*'.repeat(type.pointer)}' is not supported in a scenario`;
}

export function checkScenario(program: ScenarioProgram, constants: ScenarioConstants): ScenarioDiagnostic[] {
  const diagnostics: ScenarioDiagnostic[] = [];
  const error = (message: string, span: Expr['span']) =>
    diagnostics.push({ message, severity: 'error', span });

  const checkExpr = (expr: Expr, variables: ReadonlySet<string>): void => {
    for (const node of walkExpr(expr)) {
      if (node.kind === 'call') {
        const arity = scenarioCall(node.callee)?.parameters.length;
        if (arity === undefined)
          error(
            `unknown call '${node.callee}': not a system call or helper of knr_scenario.h`,
            node.calleeSpan,
          );
        else if (arity !== node.args.length) {
          error(
            `'${node.callee}' takes ${arity} argument${arity === 1 ? '' : 's'}, not ${node.args.length}`,
            node.span,
          );
        }
        if (node.callee === 'knr_sysctl') {
          const problem = sysctlNameProblem(node.args[0]);
          if (problem) error(problem, node.args[0]?.span ?? node.span);
        }
      } else if (
        node.kind === 'name' &&
        !variables.has(node.name) &&
        constants.lookup(node.name) === undefined
      ) {
        error(
          `unknown constant '${node.name}': neither a variable nor defined by knr_scenario.h or the kernel tree`,
          node.span,
        );
      } else if (node.kind === 'sizeof-type' || node.kind === 'cast') {
        const pointerCast = node.kind === 'cast' && node.type.pointer > 0;
        if (!pointerCast && !typeLayouts[node.type.base])
          error(`the type '${node.type.base}' is not supported in a scenario`, node.span);
      }
    }
  };

  const checkBlock = (statements: readonly Statement[], outer: ReadonlySet<string>): void => {
    const variables = new Set(outer);
    for (const statement of statements) {
      switch (statement.kind) {
        case 'declaration': {
          const problem = typeProblem(statement.type);
          if (problem) error(problem, statement.span);
          if (statement.array && statement.array !== 'unsized') checkExpr(statement.array, variables);
          if (statement.init) checkExpr(statement.init, variables);
          variables.add(statement.name);
          break;
        }
        case 'expression':
          checkExpr(statement.expr, variables);
          break;
        case 'assignment':
          if (!variables.has(statement.target))
            error(`'${statement.target}' is not declared`, statement.span);
          checkExpr(statement.value, variables);
          break;
        case 'for':
          checkExpr(statement.start, variables);
          checkExpr(statement.bound, variables);
          checkBlock(statement.body, new Set([...variables, statement.variable]));
          break;
        case 'return':
          break;
      }
    }
  };

  checkBlock(program.statements, new Set());
  return diagnostics;
}
