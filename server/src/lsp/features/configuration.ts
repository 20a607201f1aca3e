// workspace/didChangeConfiguration: the extension's `kernelNetReader.language` switches the catalogue and
// `kernelNetReader.arch` the architecture whose definitions rank first, at once. Kernel trees and the cache folder are read at start; changing them needs a restart (logged).
import type { DidChangeConfigurationParams } from 'vscode-languageserver';
import { localeFrom, messagesFor } from '../../l10n';
import { readSettings, settingsSection } from '../../settings';
import type { Session } from '../session';

export function configurationChanged(session: Session, params: DidChangeConfigurationParams): void {
  const all = params.settings as Record<string, unknown> | null | undefined;
  const section = all?.[settingsSection];
  if (section === undefined) return;
  const { settings, problems } = readSettings(section);
  for (const problem of problems) session.log(problem);
  const language = settings.language === 'auto' ? session.clientLocale : settings.language;
  session.messages = messagesFor(localeFrom(language));
  session.arch = settings.arch;
  for (const { index } of session.answeringIndexes()) index.setPreferredArch(settings.arch);
}
