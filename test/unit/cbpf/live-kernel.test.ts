// The model against the running kernel. A small C probe attaches each program with
// SO_ATTACH_FILTER to an AF_UNIX datagram socket and sends one datagram through it (sk_filter runs
// in unix_dgram_sendmsg; nothing touches the network). The checker must give the kernel's errno,
// and the interpreter the length the receiver gets: dropped on 0, else trimmed to the result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  checkClassicFilter,
  filterVerdict,
  instruction,
  runClassicFilter,
  type ClassicInstruction,
  type FilterContext,
} from '../../../server/src/models/cbpf';
import { requires } from '../../support/prerequisites';
import { assemble } from './fixtures';
import { prng, randomProgram } from './random-programs';

const SUITE = 'classic BPF against the live kernel';
const folder = mkdtempSync(join(tmpdir(), 'knr-bpf-live-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const probe = join(folder, 'filter-probe');

function compileProbe(): string | undefined {
  const source = join(__dirname, 'live', 'filter-probe.c');
  const result = spawnSync('gcc', ['-O1', '-Wall', '-o', probe, source], { encoding: 'utf8' });
  if (result.error) return `gcc is not available (${result.error.message})`;
  return result.status === 0 ? undefined : `gcc could not build the probe: ${result.stderr}`;
}

/** net.core.optmem_max of the namespace the tests run in: the budget the filter is charged against. */
const optmemMax = (): number => Number(readFileSync('/proc/sys/net/core/optmem_max', 'utf8'));

/** What an AF_UNIX datagram's skb looks like to a filter: no device, no MAC header, data at head. */
const unixContext: FilterContext = { protocol: 0, pktType: 0, device: null, networkOffset: 0 };

interface Probe {
  readonly program: ClassicInstruction[];
  readonly payload: Uint8Array;
}

function askKernel(probes: Probe[]): { errno: number; received: number }[] {
  const input = probes
    .map(({ program, payload }) => {
      const fields = program.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`).join(' ');
      const hex = payload.length > 0 ? Buffer.from(payload).toString('hex') : '-';
      return `${program.length} ${fields} ${hex}`;
    })
    .join('\n');
  const result = spawnSync(probe, [], { input: input + '\n', encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(result.status, 0, `filter-probe failed: ${result.stderr}`);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [errno, received] = line.split(' ').map(Number);
      return { errno, received };
    });
}

/** The model's answer in the probe's terms; undefined when the model has no result to compare. */
function modelAnswer({ program, payload }: Probe): { errno: number; received: number } | undefined {
  const verdict = checkClassicFilter(program, { kernel: '6.12', optmemMax: optmemMax() });
  if (!verdict.accepted) return { errno: verdict.errnoValue, received: -2 };
  const run = runClassicFilter(verdict.program, payload, unixContext);
  if (run.result === null) return undefined;
  const trim = filterVerdict(run.result, payload.length, 1);
  return { errno: 0, received: trim.action === 'drop' ? -1 : trim.length };
}

// cpu and rand differ run to run, poff is outside the model: programs reading them are not compared.
const unpredictable = new Set([0xfffff024, 0xfffff038, 0xfffff034]);
const readsUnpredictable = (program: ClassicInstruction[]) =>
  program.some((i) => (i.code & 0xe7) === 0x20 && unpredictable.has(i.k));

function compare(probes: Probe[]): number {
  const kernel = askKernel(probes);
  assert.equal(kernel.length, probes.length);
  let compared = 0;
  probes.forEach((p, index) => {
    const model = modelAnswer(p);
    if (model === undefined) return;
    compared++;
    const where = `program ${JSON.stringify(p.program)} on ${Buffer.from(p.payload).toString('hex')}`;
    assert.deepEqual(model, kernel[index], where);
  });
  return compared;
}

const missing = process.platform === 'linux' ? compileProbe() : 'not Linux';
const options = requires(SUITE, missing);
const ret = (k = 0) => instruction(0x06, 0, 0, k);
const payload = Uint8Array.from({ length: 64 }, (_, i) => i);

test('the checker gives the kernel errno at every rule boundary', options, () => {
  const programs: ClassicInstruction[][] = [
    [],
    Array.from({ length: 4096 }, () => ret(1)),
    Array.from({ length: 4097 }, () => ret(1)),
    ...[
      'div #0\nret a',
      'mod #0\nret a',
      'lsh #31\nret a',
      'lsh #32\nret a',
      'rsh #32\nret a',
      'st M[15]\nld M[15]\nret a',
      'st M[16]\nret a',
      'ld M[0]\nret a',
      'jeq #1, yes, no\nyes: st M[3]\nno: ld M[3]\nret a',
      'st M[3]\njeq #1, yes, no\nyes: ldx M[3]\nno: ld M[3]\nret a',
      'ld [-4096]\nret a',
      'ld [-4032]\nret a',
      'ld [-4097]\nret a',
      'ld [-1]\nret a',
      'ld #1',
      'ret x',
      '.insn 0x21, 0, 0, 0\nret a',
    ].map(assemble),
    [instruction(0x05, 0, 0, 1), ret(), ret()],
    [instruction(0x05, 0, 0, 2), ret(), ret()],
    [instruction(0x15, 1, 0, 0), ret(), ret()],
    [instruction(0x15, 2, 0, 0), ret(), ret()],
  ];
  // The conversion's 16-bit jump limit (2520 / 2521 loads before a jump) and the option-memory
  // charge: 72 + 8 * (9 + 13 n) bytes for n loads and a return must stay below optmem_max.
  const loadsThenJump = (n: number) => [
    ...Array.from({ length: n }, () => instruction(0x20, 0, 0, 0)),
    instruction(0x15, 0, 0, 1),
    ret(),
  ];
  const loadsThenReturn = (n: number) => [
    ...Array.from({ length: n }, () => instruction(0x20, 0, 0, 0)),
    ret(1),
  ];
  const mostLoadsCharged = Math.ceil(((optmemMax() - 72) / 8 - 9) / 13) - 1;
  programs.push(loadsThenJump(2520), loadsThenJump(2521));
  programs.push(loadsThenReturn(mostLoadsCharged), loadsThenReturn(mostLoadsCharged + 1));
  const compared = compare(programs.map((program) => ({ program, payload })));
  assert.equal(compared, programs.length);
});

test('tcpdump-style programs and every opcode class trim and drop as the kernel does', options, () => {
  const sources = [
    'ld #len\nret a',
    'ldb [0]\nret a',
    'ldh [62]\nret a',
    'ld [61]\nret a',
    'ldb [64]\nret #5',
    'ldx #60\nld [x + 0]\nret a',
    'ldx #61\nld [x + 0]\nret #7',
    'ldxb 4*([3]&0xf)\ntxa\nret a',
    'ldb [-1048560]\nret a', // SKF_NET_OFF + 16: the network header is at data
    'ldb [-2097136]\nret #9', // SKF_LL_OFF: no MAC header on this skb
    'ld #33\nld #ifidx\nret a', // no device: A comes back
    'ld #proto\nadd #10\nret a',
    'ld #type\nadd #10\nret a',
    'ld #vlan_avail\nadd #10\nret a',
    'ld #vlan_tci\nadd #10\nret a',
    'ld #vlan_tpid\nadd #10\nret a',
    'ld #rxhash\nadd #10\nret a',
    'ld #queue\nadd #10\nret a',
    'ld #mark\nadd #10\nret a',
    'ldx #9\nld #5\nld #xor_x\nret a',
    'ld #8\nldx #0x1000\nld #nla\nadd #3\nret a',
    'ld #10\nldx #0\ndiv x\nret #5',
    'ld #100\nldx #3\nmod x\nret a',
    'ld #0xffffffff\nadd #21\nret a',
    'ld #3\nneg\nrsh #28\nret a',
    'ldx #35\nld #1\nlsh x\nret a',
    'ld #20\nst M[2]\nldx M[2]\njgt x, big, small\nbig: ret #1\nsmall: ret #2',
  ];
  const compared = compare(sources.map((source) => ({ program: assemble(source), payload })));
  assert.equal(compared, sources.length);
});

test('3000 random programs on random payloads: verdicts and received lengths match', options, () => {
  const random = prng(61218);
  const probes: Probe[] = [];
  while (probes.length < 3000) {
    const program = randomProgram(random);
    if (readsUnpredictable(program)) continue;
    const length = Math.floor(random() * 80);
    probes.push({ program, payload: Uint8Array.from({ length }, () => Math.floor(random() * 256)) });
  }
  const compared = compare(probes);
  assert.ok(compared > 2900, `only ${compared} compared`);
});
