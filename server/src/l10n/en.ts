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
  'comparePath.needsTwoTrees':
    'Comparing a path needs two indexed kernel trees (kernelNetReader.kernelTrees or two workspace folders); {count} is ready.',
  'comparePath.notServed': '{root} is not an indexed kernel tree of this workspace.',
  'comparePath.scenarioProblems': 'The scenario does not run on both trees: {problems}',
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
  'hover.model.title': 'Model',
  'hover.model.anchors':
    'The model steps through {count} statements of this function (its anchors, which `knr check-models` checks against the tree); the rest of the body is not modelled, and a trace shows nothing of it.',
  'hover.model.coarse':
    'A coarse model: it stands for what the scenarios need of this code, not for each of its branches.',
  'hover.model.only': 'The function exists in kernel {series} only.',
  'hover.model.scenarios': 'Built-in scenarios through it (click one to trace it):',
  'hover.model.noScenarios': 'No built-in scenario passes through it on this tree.',
  'hover.trace.values': 'In the active trace ({scenario})',
  'hover.trace.notThrough': 'The active trace ({scenario}) does not pass through it.',
  'evidence.initializer': 'table initialiser',
  'evidence.assignment': 'run-time assignment',
  'evidence.type-matched-call': 'type-matched call',
  'evidence.name-only': 'name match only',
  'evidence.direct': 'direct call',
  'callHierarchy.via': 'via {struct}.{field} ({tables})',
  'callHierarchy.passedTo': 'passed to {callee}',
  'codeLens.implementations': '{count} implementations',
  'codeLens.implementation': '1 implementation',
  'codeLens.noImplementations': 'no implementations found',
  'codeLens.installedIn': '{slots}',
  'codeLens.andMore': '+{count} more',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
