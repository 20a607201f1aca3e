import { installationJson, installationText, queryCommand } from '../query-command';

export const tablesCommand = queryCommand({
  name: 'tables',
  summary: 'every table slot and binding that installs FUNCTION',
  argument: 'FUNCTION',
  description:
    'Lists the ops-table fields and run-time assignments that install the function,\ne.g. knr tables packet_recvmsg',
  query: (index, name) => ({ results: index.installationsOf(name).map(installationJson) }),
  formatText: installationText,
});
