import { edgeJson, edgeText, queryCommand } from '../query-command';

export const calleesCommand = queryCommand({
  name: 'callees',
  summary: 'what FUNCTION calls, directly and through ops tables',
  argument: 'FUNCTION',
  description:
    'Lists the functions the body calls; an indirect call lists every implementation\nof its field, each marked with the table and how it was found.',
  query: (index, name) => ({ results: index.callees(name).map((edge) => edgeJson(edge, 'callees')) }),
  formatText: edgeText,
});
