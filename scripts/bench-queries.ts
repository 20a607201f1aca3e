// Query latency once the index is loaded, measured in one process (run by scripts/bench.mjs through
// tsx, which summarises): opens the persisted index, then times many queries of each kind the CLI
// offers, and prints one JSON object: { loadMs, queries: [{ query, samplesMs, firstCallsMs }] }.
// The inputs come from the index itself (every function-pointer field of a few ops structs, the
// functions they hold, every indirect call site of a few files), so nothing here names a line.
//
// Usage: node --import tsx scripts/bench-queries.ts --kernel DIR --cache DIR [--repeat N]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openIndex } from '../server/src/index/open';
import type { IndexQueries } from '../server/src/index/queries';

const opsStructs = ['proto_ops', 'proto', 'net_proto_family', 'net_device_ops', 'file_operations'];
const callSiteFiles = ['net/socket.c', 'net/ipv4/af_inet.c', 'net/packet/af_packet.c', 'net/ipv4/raw.c'];
/** At most this many functions are looked up with installationsOf and callers. */
const functionSample = 200;

interface QueryTimings {
  query: string;
  samplesMs: number[];
  /** The first call for each input: what a user waits for on a query not asked before. */
  firstCallsMs: number[];
}

/** Times `run` on every input `repeat` times. */
function time<T>(
  query: string,
  inputs: readonly T[],
  repeat: number,
  run: (input: T) => unknown,
): QueryTimings {
  if (inputs.length === 0) throw new Error(`no inputs for ${query}: the index found none`);
  const samplesMs: number[] = [];
  for (let round = 0; round < repeat; round++) {
    for (const input of inputs) {
      const started = performance.now();
      run(input);
      samplesMs.push(performance.now() - started);
    }
  }
  return { query, samplesMs, firstCallsMs: samplesMs.slice(0, inputs.length) };
}

function functionPointerFields(index: IndexQueries): { struct: string; field: string }[] {
  return opsStructs.flatMap((struct) =>
    (index.struct(struct)?.fact.fields ?? [])
      .filter((field) => field.isFunctionPointer)
      .map((field) => ({ struct, field: field.name })),
  );
}

function indirectCallSites(index: IndexQueries): { file: string; line: number; column: number }[] {
  return callSiteFiles.flatMap((file) =>
    (index.facts(file)?.calls ?? [])
      .filter((call) => call.receiver !== undefined)
      .map((call) => ({ file, line: call.line, column: call.column })),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { kernel: { type: 'string' }, cache: { type: 'string' }, repeat: { type: 'string' } },
  });
  if (!values.kernel || !values.cache) throw new Error('--kernel DIR and --cache DIR are required');
  const repeat = Number(values.repeat ?? '5');
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new Error(`--repeat must be a positive integer, got '${values.repeat}'`);

  const loadStarted = performance.now();
  const index = await openIndex(values.kernel, { cache: values.cache });
  const loadMs = performance.now() - loadStarted;

  const fields = functionPointerFields(index);
  const impls = time('impls (implementations)', fields, repeat, (f) =>
    index.implementations(f.struct, f.field),
  );
  const installed = fields.flatMap((f) => index.implementations(f.struct, f.field).map((i) => i.function));
  const functions = [...new Set(installed)].slice(0, functionSample);
  const queries = [
    impls,
    time('tables (installationsOf)', functions, repeat, (fn) => index.installationsOf(fn)),
    time('resolve (callAt)', indirectCallSites(index), repeat, (c) => index.callAt(c.file, c.line, c.column)),
    time('callers', functions, repeat, (fn) => index.callers(fn)),
  ];
  process.stdout.write(JSON.stringify({ loadMs, queries }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-queries: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
