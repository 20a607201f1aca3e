import { UsageError } from '../args';
import { installationJson, installationText, queryCommand } from '../query-command';

export const implsCommand = queryCommand({
  name: 'impls',
  summary: 'every function installed in STRUCT.FIELD, with its table and evidence',
  argument: 'STRUCT.FIELD',
  description:
    'Lists every table of that struct type with that field set, and run-time assignments\nof the field, e.g. knr impls proto_ops.recvmsg',
  query(index, argument) {
    // A member of anonymous struct type has a dotted tag of its own: nf_conntrack_l4proto.ctnl_timeout.
    const match = /^(?:struct\s+)?(\w+(?:\.\w+)*)\.(\w+)$/.exec(argument);
    if (!match) throw new UsageError(`'${argument}' is not STRUCT.FIELD (e.g. proto_ops.recvmsg)`);
    if (!index.struct(match[1])) throw new UsageError(`no struct ${match[1]} in ${index.root}`);
    return { results: index.implementations(match[1], match[2]).map(installationJson) };
  },
  formatText: installationText,
});
