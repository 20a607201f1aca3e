// Which definition a name means when it has several, on a small tree built here: headers' static
// inline functions seen by every file, a file's own static, its folder, its subsystem, the core
// headers, the architecture read, and code outside the kernel last.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KernelIndex } from '../../../server/src/index/kernel-index';
import { openIndex } from '../../../server/src/index/open';

const tree: Record<string, string> = {
  Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
  'include/linux/stddef.h': '#define NULL ((void *)0)\n',
  'include/acpi/actypes.h': '#define NULL (void *) 0\n',
  'include/linux/spinlock.h': 'static inline void spin_lock(int *lock)\n{\n\t*lock = 1;\n}\n',
  'include/net/sock.h':
    'struct sock { int sk_state; };\n' +
    'static inline int sock_queue_rcv_skb(struct sock *sk, void *skb)\n{\n\treturn 0;\n}\n',
  'tools/testing/selftests/kvm/lib/spinlock.c': 'void spin_lock(int *lock)\n{\n}\n',
  'net/core/sock.c':
    '#include <linux/spinlock.h>\n' +
    'int sk_get_peer_cred(int *lock)\n{\n\tspin_lock(lock);\n\treturn 0;\n}\n' +
    'void *sk_nothing(void)\n{\n\treturn NULL;\n}\n' +
    'int sk_idle(void)\n{\n\tarch_cpu_idle();\n\treturn 0;\n}\n',
  'net/ipv4/raw.c':
    '#include <net/sock.h>\n' +
    'int raw_rcv(struct sock *sk, void *skb)\n{\n\treturn sock_queue_rcv_skb(sk, skb);\n}\n' +
    'int raw_v4_input(struct sock *sk)\n{\n\treturn raw_rcv(sk, 0) + route_helper();\n}\n',
  'net/ipv4/ip_input.c': 'int ip_local_deliver(struct sock *sk)\n{\n\treturn raw_rcv(sk, 0);\n}\n',
  'net/can/raw.c':
    '#include <net/sock.h>\n' +
    'static int raw_rcv(void *skb, void *data)\n{\n\treturn sock_queue_rcv_skb(data, skb);\n}\n' +
    'static int raw_notify(void *skb)\n{\n\treturn raw_rcv(skb, 0);\n}\n',
  'net/bridge/br_route.c': 'int route_helper(void)\n{\n\treturn 1;\n}\n',
  'net/ipv4/netfilter/nf_route.c': 'int route_helper(void)\n{\n\treturn 2;\n}\n',
  'drivers/net/ethernet/intel/e1000/e1000_hw.h': 'struct e1000_hw {\n\tint e1000_only;\n};\n',
  'drivers/net/ethernet/intel/e1000/e1000_main.c':
    'int e1000_probe(struct e1000_hw *hw)\n{\n\treturn hw->e1000_only;\n}\n',
  'drivers/net/ethernet/intel/igb/e1000_hw.h': 'struct e1000_hw {\n\tint igb_only;\n};\n',
  'drivers/net/ethernet/intel/igb/igb_main.c':
    'int igb_probe(struct e1000_hw *hw)\n{\n\treturn hw->igb_only;\n}\n',
  'arch/arm64/kernel/idle.c': 'void arch_cpu_idle(void)\n{\n}\n',
  'arch/x86/kernel/process.c': 'void arch_cpu_idle(void)\n{\n}\n',
  'arch/x86/boot/string.c': 'int sk_get_peer_cred(int *lock)\n{\n\treturn 0;\n}\n',
  'samples/bpf/hbm_kern.h': '#define KBUILD_MODNAME "hbm"\n',
  'drivers/staging/rtl8192u/r8192U_debugfs.c': '#define KBUILD_MODNAME "r8192u_usb"\n',
  'include/linux/lockdep.h':
    '#ifdef CONFIG_LOCKDEP\n' +
    '#define lockdep_is_held(lock) lock_is_held(lock)\n' +
    '#else\n' +
    'extern int lockdep_is_held(const void *);\n' +
    '#endif\n',
};

describe('ranking the definitions of one name', () => {
  let root: string;
  let cache: string;
  let index: KernelIndex;
  const files = (name: string, fromFile?: string) => index.definitions(name, fromFile).map((s) => s.file);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'knr-rank-tree-'));
    cache = mkdtempSync(join(tmpdir(), 'knr-rank-cache-'));
    for (const [file, text] of Object.entries(tree)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    index = await openIndex(root, { cache });
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  test('a static inline function in a header is called from every file that includes it', () => {
    const callers = index.callers('sock_queue_rcv_skb').map((edge) => `${edge.caller}@${edge.file}`);
    assert.deepEqual(callers.sort(), ['raw_rcv@net/can/raw.c', 'raw_rcv@net/ipv4/raw.c']);
  });

  test("a header's static inline wins over a non-static namesake under tools/", () => {
    const spinLock = index.callees('sk_get_peer_cred').find((edge) => edge.callee === 'spin_lock');
    assert.equal(spinLock?.calleeLocation?.file, 'include/linux/spinlock.h');
    assert.equal(files('spin_lock', 'net/core/sock.c')[0], 'include/linux/spinlock.h');
  });

  test('a static function in a .c file stays its own: other files do not call it', () => {
    const canCallers = index.callers('raw_rcv', { fromFile: 'net/can/raw.c' });
    assert.deepEqual(
      canCallers.map((edge) => `${edge.caller}@${edge.file}`),
      ['raw_notify@net/can/raw.c'],
    );
  });

  test('callers and callees of an ambiguous name answer for the same definition', () => {
    const callers = index.callers('raw_rcv');
    const callees = index.callees('raw_rcv');
    assert.equal(callers[0]?.calleeLocation?.file, 'net/ipv4/raw.c');
    assert.equal(callees[0]?.callerLocation?.file, 'net/ipv4/raw.c');
    assert.deepEqual(callers.map((edge) => edge.file).sort(), ['net/ipv4/ip_input.c', 'net/ipv4/raw.c']);
    assert.equal(index.callees('raw_rcv', 'net/can/raw.c')[0]?.callerLocation?.file, 'net/can/raw.c');
  });

  test('a definition comes before a prototype that nothing defines', () => {
    assert.deepEqual(
      index.definitions('lockdep_is_held', 'net/core/sock.c').map((s) => `${s.kind} ${s.span.line + 1}`),
      ['macro 2', 'function 4'],
    );
  });

  test("NULL in kernel code is the core header's, not ACPI's", () => {
    assert.deepEqual(files('NULL', 'net/core/sock.c'), ['include/linux/stddef.h', 'include/acpi/actypes.h']);
    assert.equal(files('NULL')[0], 'include/linux/stddef.h');
  });

  test("a struct several drivers define is the asking driver's own", () => {
    const fromIgb = 'drivers/net/ethernet/intel/igb/igb_main.c';
    assert.equal(files('e1000_hw', fromIgb)[0], 'drivers/net/ethernet/intel/igb/e1000_hw.h');
    assert.equal(index.struct('e1000_hw', fromIgb)?.fact.fields[0].name, 'igb_only');
    const fromE1000 = 'drivers/net/ethernet/intel/e1000/e1000_main.c';
    assert.equal(files('e1000_hw', fromE1000)[0], 'drivers/net/ethernet/intel/e1000/e1000_hw.h');
  });

  test('the same subsystem comes before another one', () => {
    assert.deepEqual(files('route_helper', 'net/ipv4/raw.c'), [
      'net/ipv4/netfilter/nf_route.c',
      'net/bridge/br_route.c',
    ]);
  });

  test("the kernel's definitions come before a sample's", () => {
    assert.deepEqual(files('KBUILD_MODNAME', 'net/ipv4/raw.c'), [
      'drivers/staging/rtl8192u/r8192U_debugfs.c',
      'samples/bpf/hbm_kern.h',
    ]);
  });

  test("the kernel's definitions come before a boot wrapper's", () => {
    assert.deepEqual(files('sk_get_peer_cred', 'net/ipv4/raw.c'), [
      'net/core/sock.c',
      'arch/x86/boot/string.c',
    ]);
  });

  test('the architecture read comes first, x86 by default, the others after', () => {
    assert.deepEqual(files('arch_cpu_idle', 'net/core/sock.c'), [
      'arch/x86/kernel/process.c',
      'arch/arm64/kernel/idle.c',
    ]);
    const idle = () => index.callees('sk_idle').find((edge) => edge.callee === 'arch_cpu_idle');
    assert.equal(idle()?.calleeLocation?.file, 'arch/x86/kernel/process.c');
    index.setPreferredArch('arm64');
    try {
      assert.deepEqual(files('arch_cpu_idle', 'net/core/sock.c'), [
        'arch/arm64/kernel/idle.c',
        'arch/x86/kernel/process.c',
      ]);
      assert.equal(idle()?.calleeLocation?.file, 'arch/arm64/kernel/idle.c');
    } finally {
      index.setPreferredArch('x86');
    }
  });
});
