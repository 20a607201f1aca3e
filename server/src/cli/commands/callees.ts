import { stringFlag } from '../args';
import { definitionChoice, edgeJson, edgeText, queryCommand } from '../query-command';

export const calleesCommand = queryCommand({
  name: 'callees',
  summary: 'what FUNCTION calls, directly and through ops tables',
  argument: 'FUNCTION',
  description:
    'Lists the functions the body calls; an indirect call lists every implementation\nof its field, each marked with the table and how it was found. Of several definitions of\nthe name, the best ranked one (--from FILE: the one FILE sees), named above the list.',
  options: ['  --from FILE    answer for the definition of FUNCTION that FILE sees'],
  query: (index, name, args) => {
    const from = stringFlag(args, 'from');
    return {
      ...definitionChoice(index, name, from),
      results: index.callees(name, from).map((edge) => edgeJson(edge, 'callees')),
    };
  },
  formatText: edgeText,
});
