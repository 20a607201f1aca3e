// One comparison: the same scenario file on the models (told the live kernel's version) and on the
// live kernel, then field by field and packet end by packet end. Model ends are placed on the indexed
// tree's lines when the index can resolve anchors (a KernelIndex with its source root).
import type { ModelIndex, PacketEnd } from '../models';
import { modelDefinition } from '../models';
import { AnchorResolver, fileSourceReader, type AnchorIndex } from '../trace/anchors';
import type { ModelPacketEnd } from './compare-ends';
import { judgeRuns, type ScenarioComparison } from './compare-runs';
import { executeModelAtVersion } from './model-run';
import { liveKernelVersion, parseScenarioFile, runLiveProgram } from './run-live';

type PlaceableIndex = ModelIndex & AnchorIndex & { root: string };

function placeable(index: ModelIndex): index is PlaceableIndex {
  return 'facts' in index && 'root' in index;
}

export function placeEnds(ends: readonly PacketEnd[], index: ModelIndex): ModelPacketEnd[] {
  if (!placeable(index)) return [...ends];
  const resolver = new AnchorResolver(index, fileSourceReader(index.root));
  return ends.map((end) => {
    const definition = modelDefinition(end.function);
    const resolution = definition ? resolver.resolve(definition, end.anchor) : undefined;
    return resolution?.status === 'resolved' ? { ...end, line: resolution.line + 1 } : { ...end };
  });
}

export async function compareScenarioFile(file: string, index: ModelIndex): Promise<ScenarioComparison> {
  const { source, program } = await parseScenarioFile(file);
  const model = executeModelAtVersion(program, index, liveKernelVersion());
  const live = await runLiveProgram(source, program);
  return judgeRuns(model.run, live, placeEnds(model.ends, index));
}
