import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkScenario } from '../../../server/src/scenario/check';
import { ScenarioConstants } from '../../../server/src/scenario/constants';
import { parseScenario } from '../../../server/src/scenario/parse';
import { fakeKernelIndex } from '../models/fake-kernel-index';
import { scenarioText } from '../models/run-text';

async function check(body: string) {
  const { program } = await parseScenario(scenarioText(body), 't.c');
  return checkScenario(program!, new ScenarioConstants(fakeKernelIndex()));
}

test('constants come from the tree and the helper header; variables are in scope after their declaration', async () => {
  const diagnostics = await check(
    '\tknr_veth_pair();\n\tint s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));\n\tknr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 1));\n\tclose(s);',
  );
  assert.deepEqual(diagnostics, []);
});

test('an unknown constant is reported at its position', async () => {
  const [d] = await check('\tsocket(AF_PACKET, SOCK_RAW, htons(ETH_P_NOPE));');
  assert.match(d.message, /unknown constant 'ETH_P_NOPE'/);
  assert.deepEqual([d.span.line, d.span.column], [4, 35]);
});

test('a call outside the helper set is reported at the callee', async () => {
  const [d] = await check('\tsystem("reboot");');
  assert.match(d.message, /unknown call 'system'/);
  assert.deepEqual([d.span.line, d.span.column], [4, 1]);
});

test('a call named like a property every object has is outside the helper set too', async () => {
  const [d] = await check('\ttoString(1);');
  assert.match(d.message, /unknown call 'toString'/);
});

test('a wrong number of arguments is reported', async () => {
  const [d] = await check('\tsocket(AF_PACKET, SOCK_RAW);');
  assert.match(d.message, /'socket' takes 3 arguments, not 2/);
});

test('an unsupported type is reported', async () => {
  const [d] = await check('\tstruct sockaddr_in6 a;');
  assert.match(d.message, /struct sockaddr_in6/);
});

test('knr_sysctl takes only a per-namespace sysctl under net., named by a string literal, reported at the name', async () => {
  assert.deepEqual(await check('\tknr_sysctl("net.ipv4.ping_group_range", "0 0");'), []);
  const [host] = await check('\tknr_sysctl("kernel.hostname", "x");');
  assert.match(host.message, /'kernel\.hostname' is outside net\./);
  assert.deepEqual([host.span.line, host.span.column], [4, 12]);
  const [global] = await check('\tknr_sysctl("net.core.rmem_max", "1");');
  assert.match(global.message, /'net\.core\.rmem_max' is not one of the per-namespace sysctls/);
  const name = 'char name[] = "net.ipv4.ping_group_range";';
  const [computed] = await check(`\t${name}\n\tknr_sysctl(name, "0 0");`);
  assert.match(computed.message, /a string literal/);
});
