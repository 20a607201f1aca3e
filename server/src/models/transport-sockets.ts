// Coarse models of the TCP and UDP hooks that socket() and close() reach through sk->sk_prot: the
// paths model no TCP or UDP traffic, only that such a socket is created and released as the kernel
// does (init succeeds, close frees it), so socket() over every type agrees with the live kernel.
import { defineModel } from './model';
import { registerImplementation, type Kernel } from './kernel';

const tcpV4InitSock = defineModel(
  'tcp_v4_init_sock',
  'net/ipv4/tcp_ipv4.c',
  { init: 'tcp_init_sock(sk);' },
  { coarse: true },
);
const tcpClose = defineModel(
  'tcp_close',
  'net/ipv4/tcp.c',
  { close: '__tcp_close(sk, timeout);' },
  { coarse: true },
);
const udpInitSock = defineModel(
  'udp_init_sock',
  'net/ipv4/udp.c',
  { destruct: 'sk->sk_destruct = udp_destruct_sock;' },
  { coarse: true },
);
const udpLibClose = defineModel(
  'udp_lib_close',
  'include/net/udp.h',
  { release: 'sk_common_release(sk);' },
  { coarse: true },
);

function succeeds(k: Kernel, definition: Parameters<Kernel['fn']>[0], anchor: string): number {
  return k.fn(definition, {}, (f) => {
    f.at(anchor);
    return 0;
  });
}

registerImplementation('tcp_v4_init_sock', (k: Kernel) => succeeds(k, tcpV4InitSock, 'init'));
registerImplementation('tcp_close', (k: Kernel) => succeeds(k, tcpClose, 'close'));
registerImplementation('udp_init_sock', (k: Kernel) => succeeds(k, udpInitSock, 'destruct'));
registerImplementation('udp_lib_close', (k: Kernel) => succeeds(k, udpLibClose, 'release'));
