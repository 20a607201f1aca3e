// English: the reference catalogue. Every other catalogue has exactly these keys (a test checks).
// Placeholders are written {name} and filled by `format` in ./index.ts.
export const en = {
  'server.noKernelTree':
    'Kernel Net Reader: no kernel tree to index. Open a Linux kernel tree as the workspace, or set the "kernel" initialization option or the KNR_KERNEL environment variable.',
  'server.notKernelTree':
    'Kernel Net Reader: {reason}. Navigation through ops tables is off for this workspace; set the "kernel" initialization option or KNR_KERNEL to a kernel tree.',
  'server.indexFailed': 'Kernel Net Reader could not index {path}: {error}',
  'server.requestFailed': '{request} failed: {error}',
  'server.afterShutdown': '{request} refused: the server is shutting down',
  'trace.noKernel': 'No kernel tree is indexed yet: a scenario runs on the models of an indexed tree.',
  'trace.stillIndexing':
    'The kernel tree is still being indexed: a scenario runs on the models of a whole indexed tree.',
  'trace.none': 'No active trace: run a scenario first (Trace This Path).',
  'codeLens.trace': 'Trace this path…',
  'trace.liveUnavailable': 'The live kernel cannot be used here: {reason}',
  'server.reindexUnsupported':
    'The index cannot re-read single files; edits are not reflected until restart.',
  'progress.title': 'Indexing the kernel tree',
  'progress.files': '{done} of {total} files',
  'hover.indexing': 'Kernel Net Reader is indexing the kernel tree ({done} of {total} files).',
  'hover.definedAt': 'Defined in {location}',
  'hover.parameters': 'Parameters',
  'hover.returns': 'Returns',
  'hover.installedIn': 'Installed in {count} ops-table slots',
  'hover.reachedBy': 'Reached by {count} indirect calls',
  'hover.implementations': '{count} implementations of `{struct}.{field}`',
  'hover.implementationsUnknownType':
    'Indirect call through `{field}`: the receiver type is not known, so its implementations cannot be listed.',
  'hover.tablesOfStruct': '{count} tables of this type',
  'hover.filledFields': '{count} filled fields',
  'hover.fieldOf': 'Field of `struct {struct}`',
  'hover.value': 'Value: `{value}`',
  'hover.evaluated': 'Evaluates to {value}',
  'hover.andMore': '… and {count} more',
  'hover.recovered': 'recovered from an #ifdef block',
  'hover.via': 'through `{macro}`',
  'evidence.initializer': 'table initialiser',
  'evidence.assignment': 'run-time assignment',
  'evidence.type-matched-call': 'type-matched call',
  'evidence.name-only': 'name match only',
  'evidence.direct': 'direct call',
  'callHierarchy.via': 'via {struct}.{field} ({table})',
  'callHierarchy.passedTo': 'passed to {callee}',
  'codeLens.implementations': '{count} implementations',
  'codeLens.implementation': '1 implementation',
  'codeLens.noImplementations': 'no implementations found',
  'codeLens.installedIn': '{slots}',
  'codeLens.andMore': '+{count} more',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
