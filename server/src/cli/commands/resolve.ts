import { UsageError } from '../args';
import { installationJson, installationText, queryCommand, type InstallationJson } from '../query-command';

export const resolveCommand = queryCommand({
  name: 'resolve',
  summary: 'the callee (and implementations) of the call at FILE:LINE:COL',
  argument: 'FILE:LINE:COL',
  description:
    'FILE is relative to the kernel root; LINE and COL are 1-based, as compilers print them.\nThe position may be anywhere on the callee name, e.g. the recvmsg of sock->ops->recvmsg.',
  query(index, argument) {
    const match = /^(.+):(\d+):(\d+)$/.exec(argument);
    if (!match) throw new UsageError(`'${argument}' is not FILE:LINE:COL`);
    const [, file, line, column] = match;
    if (!index.facts(file)) throw new UsageError(`${file} is not an indexed file of ${index.root}`);
    const call = index.callAt(file, +line - 1, +column - 1);
    if (!call) throw new UsageError(`no call at ${argument}`);
    const definitions = call.indirect ? [] : call.candidates;
    const macro = definitions.find((symbol) => symbol.kind === 'macro');
    const heading = call.indirect
      ? `${call.caller}: indirect call through ${call.struct ?? '(unknown struct)'}.${call.callee}${call.via ? ` (in ${call.via})` : ''}`
      : macro === definitions[0] && macro
        ? `${call.caller}: call of the macro ${call.callee}, #define at ${macro.file}:${macro.span.line + 1}`
        : `${call.caller}: direct call of ${call.callee}`;
    const results: InstallationJson[] = call.indirect
      ? call.candidates.map(installationJson)
      : definitions.map((c) => ({
          function: c.name,
          file: c.file,
          line: c.span.line + 1,
          evidence: c.kind === 'macro' ? 'macro' : 'direct',
          at: { file: c.file, line: c.span.line + 1 },
        }));
    const json = {
      call: {
        caller: call.caller,
        callee: call.callee,
        indirect: call.indirect,
        struct: call.struct,
        via: call.via,
      },
    };
    return { heading, results, json };
  },
  formatText: installationText,
});
