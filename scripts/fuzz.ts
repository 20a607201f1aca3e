// Fuzzing, seeded and bounded in time: random and mutated C through FileIndexer.indexText, random and
// mutated scenario programs through the scenario parser, checker, live admission and the models, and
// random frames (knr_send of random knr_* compositions) through the models. A reported error
// (a parse timeout, a diagnostic, a stopped run, an AdmissionError) is fine; anything thrown is a
// failure, and an input that runs longer than --input-ms is a hang. The work runs in a worker thread
// so that a hang can be stopped. Input i of a seed is always the same, so a failure replays.
//   node --import tsx scripts/fuzz.ts [--seconds 20] [--seed 1] [--input-ms 10000]
//   node --import tsx scripts/fuzz.ts --seed S --show N     (prints input N of seed S)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { FileIndexer } from '../server/src/index/file-indexer';
import { admitForLive, AdmissionError } from '../server/src/live/admission';
import { checkScenario } from '../server/src/scenario/check';
import { ScenarioConstants } from '../server/src/scenario/constants';
import { parseScenario } from '../server/src/scenario/parse';
import { runScenarioOnModels } from '../server/src/trace/run-scenario';
import { fakeKernelIndex } from '../test/unit/models/fake-kernel-index';
import { kernelTree, repoRoot } from '../test/support/prerequisites';

export const targets = ['c-random', 'c-mutated', 'scenario-random', 'scenario-mutated', 'packets'] as const;
export type Target = (typeof targets)[number];

export interface FuzzOptions {
  seconds: number;
  seed: number;
  /** An input that takes longer is reported as a hang and ends the run. */
  inputMs: number;
}

export interface FuzzFinding {
  target: Target;
  input: number;
  error: string;
  /** The start of the input, to read; replay with the same seed and input number. */
  excerpt?: string;
}

export interface FuzzReport {
  seed: number;
  seconds: number;
  tried: Record<Target, number>;
  /** Inputs that ended in a reported error (timeout, diagnostic, stop, refusal), per target. */
  reported: Record<Target, number>;
  slowestMs: Record<Target, number>;
  failures: FuzzFinding[];
  hangs: FuzzFinding[];
  /** Where the mutated C came from. */
  cCorpus: string;
}

type WorkerMessage =
  | { type: 'start'; input: number; target: Target }
  | { type: 'done'; input: number; target: Target; ms: number; reported: boolean }
  | { type: 'failure'; finding: FuzzFinding }
  | { type: 'finished'; cCorpus: string };

/** A small fast seeded generator (mulberry32). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(readonly next: () => number) {}
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const cTokens = [
  'struct',
  'static',
  'const',
  'int',
  'void',
  'unsigned',
  'long',
  'char',
  'return',
  'if',
  'else',
  'for',
  'while',
  'switch',
  'case',
  'default:',
  'goto',
  'sizeof',
  'typedef',
  'enum',
  'union',
  '{',
  '}',
  '(',
  ')',
  ';',
  '=',
  ',',
  '.',
  '->',
  '*',
  '&',
  '[',
  ']',
  ':',
  '?',
  '+',
  '<<',
  '==',
  '!',
  '#define',
  '#ifdef',
  '#ifndef',
  '#if',
  '#else',
  '#endif',
  '#include <linux/net.h>',
  '#include "x.h"',
  '\\\n',
  '\n',
  '"str',
  '"',
  "'",
  "'\\0'",
  '/*',
  '*/',
  '//',
  'sock',
  'ops',
  'recvmsg',
  'sk',
  'packet_ops',
  'proto_ops',
  'struct proto_ops',
  '.recvmsg =',
  'packet_recvmsg',
  'INDIRECT_CALL_INET(',
  'container_of(',
  'READ_ONCE(',
  'rcu_dereference(',
  'EXPORT_SYMBOL(',
  '__init',
  '__user',
  '0x1f',
  '1UL',
  '-1',
  'é',
  '\t',
  '\u0000',
  '\uffff',
  '\ud800',
  'x'.repeat(300),
];

/** Numbers at and around the boundaries the models and the checker care about. */
function anyNumber(r: Random): string {
  return r.pick([
    '0',
    '1',
    '-1',
    '2',
    '3',
    '7',
    '8',
    '10',
    '14',
    '16',
    '17',
    '20',
    '60',
    '64',
    '253',
    '255',
    '256',
    '1500',
    '1514',
    '2048',
    '4096',
    '32767',
    '65535',
    '65536',
    '0x7fffffff',
    '2147483647',
    '-2147483648',
    '4294967295',
    String(r.int(100000)),
    String(-r.int(1000)),
  ]);
}

const families = ['AF_PACKET', 'AF_INET', 'PF_INET', 'PF_PACKET', 'AF_UNSPEC'];
const types = ['SOCK_RAW', 'SOCK_DGRAM', 'SOCK_PACKET', 'SOCK_STREAM', 'SOCK_SEQPACKET'];
const protocols = [
  'htons(ETH_P_ALL)',
  'htons(ETH_P_IP)',
  'htons(ETH_P_8021Q)',
  '0',
  'IPPROTO_ICMP',
  'IPPROTO_UDP',
  'IPPROTO_RAW',
  '253',
  'htons(0x88b5)',
];
const receiveFlags = [
  '0',
  'MSG_DONTWAIT',
  'MSG_TRUNC',
  'MSG_PEEK',
  'MSG_OOB',
  'MSG_ERRQUEUE',
  'MSG_TRUNC | MSG_DONTWAIT',
];
const interfaces = ['KNR_IF_PEER', 'KNR_IF_LO', 'KNR_IF_VETH', '"knr1"', '"nosuch0"', '""'];
const addresses = [
  'KNR_ADDR_PEER',
  'KNR_ADDR_VETH',
  'KNR_ADDR_LO',
  '"10.0.0.99"',
  '"255.255.255.255"',
  '"1.2.3"',
  '"x"',
];
const validAddresses = addresses.slice(0, 5);
const ethertypes = ['ETH_P_IP', 'ETH_P_8021Q', 'ETH_P_8021AD', '0x88b5', '0', '0x5ff', '0xffff'];

/** Mostly lengths a frame can have, sometimes a boundary value. */
function frameNumber(r: Random): string {
  return r.chance(0.8) ? String(r.int(1600)) : anyNumber(r);
}

/** A random frame: knr_* builders nested at random with boundary arguments. */
function randomFrame(r: Random, depth = 0): string {
  const anyNumber = frameNumber;
  // Mostly valid addresses and tags, so that most frames reach the models; now and then a bad one.
  const address = () => (r.chance(0.9) ? r.pick(validAddresses) : r.pick(addresses));
  const tag = (below: number) => (r.chance(0.8) ? String(r.int(below)) : frameNumber(r));
  const inner = () => (depth < 4 ? randomFrame(r, depth + 1) : `knr_ethernet(ETH_P_IP, ${anyNumber(r)})`);
  switch (r.int(6)) {
    case 0:
      return `knr_ethernet(${r.pick(ethertypes)}, ${anyNumber(r)})`;
    case 1:
      return `knr_ipv4(${address()}, ${address()}, ${anyNumber(r)}, ${anyNumber(r)})`;
    case 2:
      return `knr_ipv4_icmp_echo(${address()}, ${address()}, ${anyNumber(r)})`;
    case 3:
      return `knr_ipv4_udp(${address()}, ${address()}, ${anyNumber(r)}, ${anyNumber(r)}, ${anyNumber(r)})`;
    case 4:
      return `knr_vlan(${inner()}, ${r.pick(ethertypes)}, ${tag(8)}, ${tag(4096)})`;
    default:
      return `knr_eth_dst(${inner()}, ${r.pick(['KNR_MAC_VETH', 'KNR_MAC_PEER', '"ff:ff:ff:ff:ff:ff"', '"zz"'])})`;
  }
}

/** Statements that build sockets and receive, for random programs and around random frames. */
function randomStatements(r: Random, count: number, sockets: string[]): string[] {
  const lines: string[] = [];
  const socketName = () => (sockets.length > 0 && r.chance(0.9) ? r.pick(sockets) : anyNumber(r));
  for (let i = 0; i < count; i++) {
    switch (r.int(9)) {
      case 0: {
        const name = `s${sockets.length}`;
        sockets.push(name);
        lines.push(`int ${name} = socket(${r.pick(families)}, ${r.pick(types)}, ${r.pick(protocols)});`);
        break;
      }
      case 1:
        lines.push(
          `setsockopt(${socketName()}, ${r.pick(['SOL_SOCKET', 'SOL_PACKET', 'SOL_RAW', anyNumber(r)])}, ` +
            `${r.pick(['PACKET_AUXDATA', 'PACKET_ORIGDEV', 'SO_RCVBUF', 'ICMP_FILTER', anyNumber(r)])}, &one, sizeof(one));`,
        );
        break;
      case 2:
        lines.push(
          `recv(${socketName()}, buf, ${r.pick(['sizeof(buf)', anyNumber(r)])}, ${r.pick(receiveFlags)});`,
        );
        break;
      case 3:
        lines.push(`recvmsg(${socketName()}, msg, ${r.pick(receiveFlags)});`);
        break;
      case 4:
        lines.push(`knr_send(${r.pick(interfaces)}, ${randomFrame(r)});`);
        break;
      case 5:
        lines.push(`close(${socketName()});`);
        break;
      case 6:
        lines.push(
          `setsockopt(${socketName()}, SOL_SOCKET, SO_BINDTODEVICE, ${r.pick(interfaces)}, ${anyNumber(r)});`,
        );
        break;
      case 7:
        lines.push(`for (int i${i} = 0; i${i} < ${r.pick(['2', '3', '100', '20000'])}; i${i}++) {`);
        lines.push(...randomStatements(r, 1 + r.int(3), sockets));
        lines.push('}');
        break;
      default:
        lines.push(`recvfrom(${socketName()}, buf, sizeof(buf), ${r.pick(receiveFlags)}, 0, 0);`);
    }
  }
  return lines;
}

function programText(
  r: Random,
  body: string[],
  topology = r.pick(['knr_veth_pair();', 'knr_loopback();', '']),
): string {
  const setup = [topology, 'int one = 1;', 'char buf[256];'];
  const message = `struct msghdr *msg = knr_msghdr(${r.pick(['2048', '16', '0', anyNumber(r)])}, ${r.pick(['0', '64', '256'])});`;
  return [
    '#include <knr_scenario.h>',
    '',
    'int main(void)',
    '{',
    ...[...setup, message, ...body].map((l) => `\t${l}`),
    '\treturn 0;',
    '}',
    '',
  ].join('\n');
}

/** Cuts, copies, inserts and truncates, the edits a half-typed or damaged file shows. */
function mutate(r: Random, text: string, insertions: readonly string[]): string {
  let out = text;
  const edits = 1 + r.int(8);
  for (let e = 0; e < edits; e++) {
    const at = r.int(out.length + 1);
    const span = r.int(Math.min(400, out.length - at) + 1);
    switch (r.int(6)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + span);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at, at + span).repeat(2 + r.int(3)) + out.slice(at + span);
        break;
      case 2:
        out = out.slice(0, at) + r.pick(insertions) + out.slice(at);
        break;
      case 3:
        out = out.slice(0, at);
        break;
      case 4:
        out =
          out.slice(0, at) +
          r.pick(['{', '}', '(', ')', ';', '"', '/*', '#', '\\', '\n']) +
          out.slice(at + 1);
        break;
      default: {
        const from = r.int(out.length + 1);
        out = out.slice(0, at) + out.slice(from, from + span) + out.slice(at);
      }
    }
  }
  return out;
}

function sourceFiles(folder: string, found: string[] = []): string[] {
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    const stat = statSync(path);
    if (stat.isDirectory()) sourceFiles(path, found);
    else if (/\.[ch]$/.test(name)) found.push(path);
  }
  return found;
}

/** Real kernel files when the 6.1 tree is there, else the fixtures. */
function cCorpus(): { name: string; texts: string[] } {
  const tree = kernelTree('6.1');
  const kernelFiles = [
    'net/socket.c',
    'net/packet/af_packet.c',
    'net/ipv4/raw.c',
    'net/ipv4/af_inet.c',
    'net/core/sock.c',
    'net/core/filter.c',
    'include/linux/skbuff.h',
    'include/linux/netdevice.h',
    'include/net/sock.h',
  ].map((file) => join(tree.path, file));
  if (!tree.missing && kernelFiles.every((file) => existsSync(file))) {
    return {
      name: `${kernelFiles.length} files of the 6.1 tree`,
      texts: kernelFiles.map((f) => readFileSync(f, 'utf8')),
    };
  }
  const fixtures = sourceFiles(join(repoRoot, 'test', 'fixtures'));
  return { name: `${fixtures.length} fixture files`, texts: fixtures.map((f) => readFileSync(f, 'utf8')) };
}

function libraryTexts(): string[] {
  const folder = join(repoRoot, 'scenarios');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.c'))
    .sort()
    .map((name) => readFileSync(join(folder, name), 'utf8'));
}

interface Corpora {
  c: { name: string; texts: string[] };
  library: string[];
  libraryLines: string[];
}

function loadCorpora(): Corpora {
  const library = libraryTexts();
  return { c: cCorpus(), library, libraryLines: library.flatMap((text) => text.split('\n')) };
}

/** Input number `input` of a seed: always the same text, so a failure replays (--show). */
export function makeInput(
  seed: number,
  input: number,
  corpora: Corpora,
): { target: Target; text: string; r: Random } {
  const target = targets[input % targets.length];
  const r = new Random(generator(seed * 1_000_003 + input));
  switch (target) {
    case 'c-random':
      return {
        target,
        r,
        text: Array.from({ length: 1 + r.int(2000) }, () => r.pick(cTokens) + r.pick([' ', '', '\n'])).join(
          '',
        ),
      };
    case 'c-mutated':
      return { target, r, text: mutate(r, r.pick(corpora.c.texts), cTokens) };
    case 'scenario-random':
      return { target, r, text: programText(r, randomStatements(r, 1 + r.int(12), [])) };
    case 'scenario-mutated':
      return {
        target,
        r,
        text: r.chance(0.5)
          ? mutate(r, r.pick(corpora.library), [...corpora.libraryLines, ...cTokens])
          : programText(
              r,
              Array.from({ length: 1 + r.int(15) }, () => r.pick(corpora.libraryLines).trim()),
            ),
      };
    case 'packets': {
      const sockets = ['s0'];
      const body = [`int s0 = socket(${r.pick(families)}, ${r.pick(types)}, ${r.pick(protocols)});`];
      for (let n = 1 + r.int(4); n > 0; n--) {
        const device = r.chance(0.85) ? 'KNR_IF_PEER' : r.pick(interfaces);
        body.push(`knr_send(${device}, ${randomFrame(r)});`);
      }
      body.push(...randomStatements(r, 1 + r.int(3), sockets));
      return { target, r, text: programText(r, body, 'knr_veth_pair();') };
    }
  }
}

async function fuzzInWorker(options: FuzzOptions): Promise<void> {
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  const indexer = await FileIndexer.create();
  const corpora = loadCorpora();
  const indexes = [fakeKernelIndex('6.1.192'), fakeKernelIndex('6.12.57')];

  /** Parse, check, admit and run: true when an error was reported on the way. */
  const scenario = async (text: string, r: Random): Promise<boolean> => {
    const parsed = await parseScenario(text, 'fuzz.c');
    let reported = parsed.diagnostics.some((d) => d.severity === 'error');
    if (!parsed.program) return true;
    try {
      await admitForLive(text, parsed.program);
    } catch (error) {
      if (!(error instanceof AdmissionError)) throw error;
      reported = true;
    }
    const index = r.pick(indexes);
    const constants = new ScenarioConstants(index);
    if (checkScenario(parsed.program, constants).some((d) => d.severity === 'error')) return true;
    const run = runScenarioOnModels(parsed.program, index, constants).run;
    return reported || run.stopped !== undefined;
  };
  const indexC = (text: string): boolean => {
    try {
      const facts = indexer.indexText('fuzz.c', text);
      const lines = text.split('\n').length;
      const outside = facts.functions.find((f) => f.nameSpan.line >= lines || f.span.endLine >= lines);
      if (outside)
        throw new Error(`function ${outside.name} placed at line ${outside.nameSpan.line} of ${lines}`);
      return false;
    } catch (error) {
      if (error instanceof Error && /took over \d+ ms/.test(error.message)) return true;
      throw error;
    }
  };

  const deadline = Date.now() + options.seconds * 1000;
  for (let input = 0; Date.now() < deadline; input++) {
    const { target, text, r } = makeInput(options.seed, input, corpora);
    post({ type: 'start', input, target });
    const started = performance.now();
    try {
      const reported = target.startsWith('c-') ? indexC(text) : await scenario(text, r);
      post({ type: 'done', input, target, ms: performance.now() - started, reported });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      post({ type: 'failure', finding: { target, input, error: message, excerpt: text.slice(0, 1000) } });
      post({ type: 'done', input, target, ms: performance.now() - started, reported: false });
    }
  }
  post({ type: 'finished', cCorpus: corpora.c.name });
}

const perTarget = () => Object.fromEntries(targets.map((t) => [t, 0])) as Record<Target, number>;

export function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = {
    seed: options.seed,
    seconds: options.seconds,
    tried: perTarget(),
    reported: perTarget(),
    slowestMs: perTarget(),
    failures: [],
    hangs: [],
    cCorpus: '',
  };
  const execArgv = __filename.endsWith('.ts') ? ['--require', 'tsx/cjs'] : [];
  // A heap limit turns an input that eats memory into a reported failure instead of a dead process.
  const worker = new Worker(__filename, {
    execArgv,
    workerData: { knrFuzz: options },
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
  });
  let current: { input: number; target: Target; since: number } | undefined;
  return new Promise((resolve, reject) => {
    const watchdog = setInterval(() => {
      if (current && Date.now() - current.since > options.inputMs) {
        report.hangs.push({
          target: current.target,
          input: current.input,
          error: `over ${options.inputMs} ms`,
        });
        current = undefined;
        void worker.terminate();
      }
    }, 100);
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'start':
          current = { input: message.input, target: message.target, since: Date.now() };
          break;
        case 'done':
          current = undefined;
          report.tried[message.target]++;
          if (message.reported) report.reported[message.target]++;
          report.slowestMs[message.target] = Math.max(
            report.slowestMs[message.target],
            Math.round(message.ms),
          );
          break;
        case 'failure':
          report.failures.push(message.finding);
          break;
        case 'finished':
          report.cCorpus = message.cCorpus;
      }
    });
    worker.on('error', (error) => {
      if (!current) {
        clearInterval(watchdog);
        reject(error);
        return;
      }
      report.failures.push({ target: current.target, input: current.input, error: error.message });
      current = undefined;
    });
    worker.on('exit', () => {
      clearInterval(watchdog);
      resolve(report);
    });
  });
}

function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} needs a number`);
  return value;
}

if (!isMainThread && (workerData as { knrFuzz?: FuzzOptions } | null)?.knrFuzz) {
  const options = (workerData as { knrFuzz: FuzzOptions }).knrFuzz;
  void fuzzInWorker(options).then(() => process.exit(0));
} else if (require.main === module && process.argv.includes('--show')) {
  const input = numberOption('--show', 0);
  console.log(makeInput(numberOption('--seed', 1), input, loadCorpora()).text);
} else if (require.main === module) {
  const options = {
    seconds: numberOption('--seconds', 20),
    seed: numberOption('--seed', 1),
    inputMs: numberOption('--input-ms', 10000),
  };
  void runFuzz(options).then((report) => {
    const total = Object.values(report.tried).reduce((a, b) => a + b, 0);
    console.log(
      `fuzz: seed ${report.seed}, ${report.seconds} s, ${total} inputs; C mutated from ${report.cCorpus}`,
    );
    for (const target of targets) {
      console.log(
        `  ${target}: ${report.tried[target]} tried, ${report.reported[target]} with a reported error, slowest ${report.slowestMs[target]} ms`,
      );
    }
    for (const finding of [...report.failures, ...report.hangs]) {
      console.log(
        `FAIL ${finding.target} input ${finding.input}: ${finding.error}\n${finding.excerpt ?? ''}`,
      );
    }
    process.exitCode = report.failures.length + report.hangs.length > 0 ? 1 : 0;
  });
}
