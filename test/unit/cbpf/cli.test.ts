// knr bpf check|run|dis, run in-process on program files written to a temporary folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runKnr } from '../../../server/src/cli/knr';
import { ETH_P_IP, IPPROTO_ICMP, IPPROTO_UDP, ethernet, icmpEcho, ipv4, udp } from './fixtures';

const folder = mkdtempSync(join(tmpdir(), 'knr-bpf-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

async function knr(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runKnr(argv, {
    out: (text) => (stdout += text + '\n'),
    err: (text) => (stderr += text + '\n'),
    isTTY: false,
  });
  return { status, stdout, stderr };
}

const icmpOnly = file(
  'icmp.c',
  '{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 3, 0x00000800 },\n{ 0x30, 0, 0, 0x00000017 },\n' +
    '{ 0x15, 0, 1, 0x00000001 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n',
);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const icmpFrame = hex(ethernet(ETH_P_IP, ipv4(IPPROTO_ICMP, icmpEcho())));
const udpFrame = hex(ethernet(ETH_P_IP, ipv4(IPPROTO_UDP, udp(1, 53))));

test('check accepts a tcpdump program and says what the kernel charges', async () => {
  const { status, stdout } = await knr('bpf', 'check', icmpOnly);
  assert.equal(status, 0);
  assert.match(stdout, /accepted \(kernel 6\.12\): 6 instructions, 40 eBPF instructions/);
  const json = JSON.parse((await knr('bpf', 'check', icmpOnly, '--json', '--kernel-version', '6.1')).stdout);
  assert.equal(json.accepted, true);
  assert.equal(json.kernel, '6.1');
  assert.equal(json.format, 'c-array');
});

test('check of a rejected program exits 1 with the errno and the instruction position', async () => {
  const bad = file('bad.bpf', 'ldh [12]\n; comment\n   div #0\nret a\n');
  const { status, stdout } = await knr('bpf', 'check', bad);
  assert.equal(status, 1);
  assert.match(
    stdout,
    new RegExp(`^${bad}:3:4: rejected: .* EINVAL \\(22\\), from bpf_check_classic: instruction 1`),
  );
  const json = JSON.parse((await knr('bpf', 'check', bad, '--json')).stdout);
  assert.deepEqual(
    [json.accepted, json.errno, json.index, json.line, json.column],
    [false, 'EINVAL', 1, 3, 4],
  );
});

test('syntax errors print file:line:column and exit 1', async () => {
  const broken = file('broken.bpf', 'ldh [12]\nfrob\n');
  const { status, stderr } = await knr('bpf', 'dis', broken);
  assert.equal(status, 1);
  assert.equal(stderr.trim(), `${broken}:2:1: unknown mnemonic 'frob'`);
  const json = JSON.parse((await knr('bpf', 'check', broken, '--json')).stdout);
  assert.deepEqual(json.error, { line: 2, column: 1, message: "unknown mnemonic 'frob'" });
});

test('run keeps an ICMP frame and drops a UDP one, with a trace', async () => {
  const kept = await knr('bpf', 'run', icmpOnly, '--packet', icmpFrame, '--trace');
  assert.equal(kept.status, 0);
  assert.match(kept.stdout, /^ +3 +jeq #1, L4, L5 +0x00000001 +0x00000000 +-> 4$/m);
  assert.match(kept.stdout, /returned 262144 at instruction 4/);
  assert.match(kept.stdout, /kept, 42 of 42 bytes/);
  const dropped = JSON.parse((await knr('bpf', 'run', icmpOnly, '--packet', udpFrame, '--json')).stdout);
  assert.equal(dropped.result, 0);
  assert.deepEqual(dropped.trim, { action: 'drop', errno: 'EPERM' });
  assert.deepEqual(dropped.steps, []);
});

test('run --start ip sees the packet from the IP header; --link gives the header in front', async () => {
  const protocolByte = file('proto.bpf', 'ldb [9]\nret a\n');
  const ip = hex(ipv4(IPPROTO_ICMP, icmpEcho()));
  assert.match(
    (await knr('bpf', 'run', protocolByte, '--packet', ip, '--start', 'ip')).stdout,
    /returned 1 at/,
  );
  const etherType = file('ll.bpf', 'ldh [-2097140]\nret a\n');
  const linked = await knr(
    'bpf',
    'run',
    etherType,
    '--packet',
    ip,
    '--start',
    'ip',
    '--link',
    udpFrame.slice(0, 28),
  );
  assert.match(linked.stdout, /returned 2048 at/);
  const unlinked = await knr('bpf', 'run', etherType, '--packet', ip, '--start', 'ip');
  assert.match(
    unlinked.stdout,
    /returned 0: the load at instruction 0 failed \(SKF_LL_OFF load, but no link-layer header/,
  );
});

test('run trims to the returned length, and refuses a program the kernel would not attach', async () => {
  const trim = file('trim.bpf', 'ret #20\n');
  assert.match((await knr('bpf', 'run', trim, '--packet', icmpFrame)).stdout, /kept, 20 of 42 bytes/);
  const vlan = file('vlan.bpf', 'ld #vlan_tci\nret a\n');
  assert.match(
    (await knr('bpf', 'run', vlan, '--packet', icmpFrame, '--vlan', '100')).stdout,
    /returned 100/,
  );
  const rejected = file('rejected.bpf', 'ld M[0]\nret a\n');
  const result = await knr('bpf', 'run', rejected, '--packet', icmpFrame);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /check_load_and_stores.*\n.*does not run/);
});

test('dis prints assembler text that check reads back', async () => {
  const { status, stdout } = await knr('bpf', 'dis', icmpOnly);
  assert.equal(status, 0);
  assert.match(stdout, /^ +jeq #0x800, L2, L5$/m);
  const reread = file('reread.bpf', stdout);
  assert.equal((await knr('bpf', 'check', reread)).status, 0);
  const json = JSON.parse((await knr('bpf', 'dis', icmpOnly, '--json')).stdout);
  assert.deepEqual(json.instructions[1], {
    index: 1,
    code: 0x15,
    jt: 0,
    jf: 3,
    k: 0x800,
    text: 'jeq #0x800, L2, L5',
    line: 2,
    column: 1,
  });
});

test('usage errors exit 2 and name the problem', async () => {
  assert.equal((await knr('bpf')).status, 2);
  assert.match((await knr('bpf', 'frob', icmpOnly)).stderr, /unknown action 'frob'/);
  assert.match((await knr('bpf', 'run', icmpOnly)).stderr, /needs --packet/);
  assert.match((await knr('bpf', 'run', icmpOnly, '--packet', 'abc')).stderr, /even number of hex digits/);
  assert.match((await knr('bpf', 'check', icmpOnly, '--kernel-version', '5.10')).stderr, /6\.1 or 6\.12/);
  assert.match(
    (await knr('bpf', 'run', icmpOnly, '--packet', icmpFrame, '--start', 'tcp')).stderr,
    /mac or ip/,
  );
});
