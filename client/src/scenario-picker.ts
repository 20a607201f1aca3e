// Chooses the scenario to run: the scenario file in the active editor, or one picked from the
// server's list (optionally only those through a function), or any scenario file on disk.
import * as vscode from 'vscode';
import { listScenariosRequest, type ListScenariosParams, type ScenarioRef } from '../../server/src/protocol';
import type { ServerRequests } from './server-requests';

/** A scenario file includes the helper header; kernel sources never do. */
export function isScenarioDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'c' && /#\s*include\s*[<"]knr_scenario\.h[>"]/.test(document.getText());
}

export async function pickScenario(
  requests: ServerRequests,
  options: { throughFunction?: string; preferActiveFile: boolean },
): Promise<ScenarioRef | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (options.preferActiveFile && active !== undefined && isScenarioDocument(active)) {
    if (active.isDirty) await active.save();
    return { uri: active.uri.toString() };
  }
  const params: ListScenariosParams = { function: options.throughFunction };
  const listed = await requests.send(listScenariosRequest, params, vscode.l10n.t('Listing scenarios'));
  if (listed === undefined) return undefined;
  type Item = vscode.QuickPickItem & { scenario?: ScenarioRef };
  const items: Item[] = listed.scenarios.map((scenario) => ({
    label: scenario.name,
    detail: scenario.description,
    scenario: { name: scenario.name },
  }));
  items.push({ label: `$(file) ${vscode.l10n.t('Choose a scenario file…')}` });
  const placeHolder =
    options.throughFunction === undefined
      ? vscode.l10n.t('Scenario to run')
      : vscode.l10n.t('Scenarios through {0}', options.throughFunction);
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
  if (picked === undefined) return undefined;
  if (picked.scenario !== undefined) return picked.scenario;
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Scenario files')]: ['c'] },
    openLabel: vscode.l10n.t('Run'),
  });
  return files?.[0] === undefined ? undefined : { uri: files[0].toString() };
}
