import { edgeJson, edgeText, queryCommand } from '../query-command';

export const callersCommand = queryCommand({
  name: 'callers',
  summary: 'direct and indirect (through ops tables) callers of FUNCTION',
  argument: 'FUNCTION',
  description:
    'Lists direct calls of the function and indirect calls through a field the function\nis installed in, each marked with how it was found.',
  query: (index, name) => ({ results: index.callers(name).map((edge) => edgeJson(edge, 'callers')) }),
  formatText: edgeText,
});
