import { stringFlag } from '../args';
import { definitionChoice, edgeJson, edgeText, queryCommand } from '../query-command';

export const callersCommand = queryCommand({
  name: 'callers',
  summary: 'direct and indirect (through ops tables) callers of FUNCTION',
  argument: 'FUNCTION',
  description:
    'Lists direct calls of the function and indirect calls through a field the function\nis installed in, each marked with how it was found. Of several definitions of the name,\nthe calls of the best ranked one (--from FILE: the one FILE sees), named above the list.',
  options: ['  --from FILE    answer for the definition of FUNCTION that FILE sees'],
  query: (index, name, args) => {
    const from = stringFlag(args, 'from');
    return {
      ...definitionChoice(index, name, from),
      results: index.callers(name, { fromFile: from }).map((edge) => edgeJson(edge, 'callers')),
    };
  },
  formatText: edgeText,
});
