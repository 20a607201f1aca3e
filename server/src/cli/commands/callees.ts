import { callEdgesCommand } from '../query-command';

export const calleesCommand = callEdgesCommand({
  name: 'callees',
  summary: 'what FUNCTION calls, directly and through ops tables',
  description:
    'Lists the functions the body calls; an indirect call lists every implementation\nof its field, each marked with the table and how it was found. Of several definitions of\nthe name, the best ranked one (--from FILE: the one FILE sees), named above the list.',
  edges: (index, name, from) => index.callees(name, from),
});
