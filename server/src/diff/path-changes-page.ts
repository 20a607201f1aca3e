// The docs page of the built-in scenarios' path changes between two trees: every scenario diffed,
// rendered with the trees' series as labels (render-markdown.ts says what the page leaves out).
import { kernelSeries } from '../models';
import { listLibrary } from '../scenario/library';
import { diffScenario } from './diff-scenario';
import type { Tree } from './path-functions';
import { renderPathChangesPage, type PageScenario } from './render-markdown';

export async function pathChangesPage(older: Tree, newer: Tree): Promise<string> {
  const scenarios: PageScenario[] = [];
  for (const scenario of await listLibrary()) {
    const outcome = await diffScenario(scenario.file, older, newer);
    if (!outcome.diff)
      throw new Error(
        `scenario ${scenario.name} does not run on both trees: ${JSON.stringify(outcome.diagnostics)}`,
      );
    scenarios.push({ name: scenario.name, description: scenario.description, diff: outcome.diff });
  }
  const labels = { old: kernelSeries(older.index.version), new: kernelSeries(newer.index.version) };
  return renderPathChangesPage(scenarios, labels);
}

/** The page's file name under docs/. */
export const pathChangesPageName = (older: string, newer: string): string =>
  `path-changes-${kernelSeries(older)}-to-${kernelSeries(newer)}.md`;
