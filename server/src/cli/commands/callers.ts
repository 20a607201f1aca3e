import { callEdgesCommand } from '../query-command';

export const callersCommand = callEdgesCommand({
  name: 'callers',
  summary: 'direct and indirect (through ops tables) callers of FUNCTION',
  description:
    'Lists direct calls of the function and indirect calls through a field the function\nis installed in, each marked with how it was found. Of several definitions of the name,\nthe calls of the best ranked one (--from FILE: the one FILE sees), named above the list.',
  edges: (index, name, from) => index.callers(name, { fromFile: from }),
});
