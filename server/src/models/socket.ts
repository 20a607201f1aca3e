// Models of net/socket.c: the system call entries and the generic socket layer that dispatches
// through net_families and sock->ops.
// Long because it is one kernel file's models, each beside its anchors, as check-models reads them.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation, type ModelFrame } from './kernel';
import type { MsgHdr, SendMsgHdr, Socket } from './state';
import { readU32, readU64, u16, u32, u64 } from './user-memory';
import { sk_getsockopt, sock_getsockopt, sock_setsockopt } from './sock';
import { skbData, unmodelledIn, type SkBuff } from './skbuff';
import { ipv4At } from './route';

const file = 'net/socket.c';

const sysSocket = defineModel('__sys_socket', file, {
  create: '__sys_socket_create(family, type',
  mapFd: 'sock_map_fd(sock',
});
const sockCreate = defineModel('__sock_create', file, {
  familyRange: 'family >= NPROTO',
  typeRange: 'type >= SOCK_MAX',
  spktRewrite: 'family = PF_PACKET;',
  lookup: 'pf = rcu_dereference(net_families[family]);',
  noFamily: 'if (!pf)',
  create: 'err = pf->create(net, sock, protocol, kern);',
});
const sysSetsockopt = defineModel('__sys_setsockopt', file, {
  optlen: { pattern: 'if (optlen < 0)', only: ['6.1'] },
  solSocket: { pattern: 'err = sock_setsockopt(sock, level, optname, optval, optlen);', only: ['6.1'] },
  opsSetsockopt: { pattern: '->setsockopt(sock, level, optname, optval,', only: ['6.1'] },
  doSetsockopt: { pattern: 'return do_sock_setsockopt(', only: ['6.12'] },
});
const doSockSetsockopt = defineModel(
  'do_sock_setsockopt',
  file,
  {
    optlen: 'if (optlen < 0)',
    solSocket: 'err = sock_setsockopt(sock, level, optname, optval, optlen);',
    opsSetsockopt: '->setsockopt(sock, level, optname, optval,',
  },
  { only: ['6.12'] },
);
const sysGetsockopt = defineModel('__sys_getsockopt', file, {
  solSocket: { pattern: 'err = sock_getsockopt(sock, level, optname, optval, optlen);', only: ['6.1'] },
  noOps: { pattern: 'err = -EOPNOTSUPP;', only: ['6.1'] },
  opsGetsockopt: { pattern: 'err = sock->ops->getsockopt(sock, level, optname, optval,', only: ['6.1'] },
  doGetsockopt: {
    pattern: 'return do_sock_getsockopt(sock, in_compat_syscall(), level, optname,',
    only: ['6.12'],
  },
});
const doSockGetsockopt = defineModel(
  'do_sock_getsockopt',
  file,
  {
    solSocket: 'err = sk_getsockopt(sock->sk, level, optname, optval, optlen);',
    opsGetsockopt: 'err = ops->getsockopt(sock, level, optname, optval.user,',
    noOps: 'err = -EOPNOTSUPP;',
  },
  { only: ['6.12'] },
);
const sysGetsockname = defineModel('__sys_getsockname', file, {
  opsGetname: '->getname(sock, (struct sockaddr *)&address, 0);',
  copyAddress: 'move_addr_to_user(&address, err, usockaddr, usockaddr_len);',
});
const sysBind = defineModel('__sys_bind', file, {
  copyAddress: 'move_addr_to_kernel(umyaddr, addrlen, &address)',
  opsBind: { pattern: 'err = sock->ops->bind(sock,', only: ['6.1'] },
  bindSocket: { pattern: 'return __sys_bind_socket(sock, &address, addrlen);', only: ['6.12'] },
});
const sysConnect = defineModel('__sys_connect', file, {
  copyAddress: 'move_addr_to_kernel(uservaddr, addrlen, &address)',
});
const sysConnectFile = defineModel('__sys_connect_file', file, {
  opsConnect: '->connect(sock, (struct sockaddr *)address, addrlen,',
});
const sysRecvfrom = defineModel('__sys_recvfrom', file, {
  lookup: { pattern: 'sockfd_lookup_light(fd, &err, &fput_needed)', only: ['6.1'] },
  lookupFd: { pattern: 'CLASS(fd, f)(fd);', only: ['6.12'] },
  nonblock: 'flags |= MSG_DONTWAIT;',
  recvmsg: 'err = sock_recvmsg(sock, &msg, flags);',
  copyAddress: 'err2 = move_addr_to_user(&address,',
});
const sysRecvmsgInner = defineModel('____sys_recvmsg', file, {
  recvmsg: 'err = sock_recvmsg(sock, msg_sys, flags);',
  copyAddress: 'err = move_addr_to_user(&addr,',
  putFlags: 'err = __put_user((msg_sys->msg_flags & ~MSG_CMSG_COMPAT),',
  putControllen: '&msg->msg_controllen);',
});
const sockRecvmsg = defineModel('sock_recvmsg', file, {
  nosec: 'sock_recvmsg_nosec(sock, msg, flags)',
});
const sockRecvmsgNosec = defineModel('sock_recvmsg_nosec', file, {
  opsRecvmsg: '->recvmsg,',
});
const sysSendto = defineModel('__sys_sendto', file, {
  lookup: { pattern: 'sock = sockfd_lookup_light(fd, &err, &fput_needed);', only: ['6.1'] },
  lookupFd: { pattern: 'CLASS(fd, f)(fd);', only: ['6.12'] },
  copyAddress: 'err = move_addr_to_kernel(addr, addr_len, &address);',
  flags: 'flags &= ~MSG_INTERNAL_SENDMSG_FLAGS;',
  sendmsg: '__sock_sendmsg(sock, &msg);',
});
const sysSendmsg = defineModel('__sys_sendmsg', file, {
  compat: 'if (forbid_cmsg_compat && (flags & MSG_CMSG_COMPAT))',
  send: '___sys_sendmsg(sock, msg, &msg_sys, flags, NULL, 0);',
});
const sysSendmsgCopy = defineModel('___sys_sendmsg', file, {
  copy: 'err = sendmsg_copy_msghdr(msg_sys, msg, flags, &iov);',
  send: 'err = ____sys_sendmsg(sock, msg_sys, flags, used_address,',
});
const sysSendmsgInner = defineModel('____sys_sendmsg', file, {
  flags: 'msg_sys->msg_flags = flags;',
  sendmsg: 'err = __sock_sendmsg(sock, msg_sys);',
});
const sockWriteIter = defineModel('sock_write_iter', file, {
  sendmsg: 'res = __sock_sendmsg(sock, &msg);',
});
const sockSendmsg = defineModel('__sock_sendmsg', file, {
  nosec: 'return err ?: sock_sendmsg_nosec(sock, msg);',
});
const sockSendmsgNosec = defineModel('sock_sendmsg_nosec', file, {
  opsSendmsg: '->sendmsg, inet6_sendmsg,',
});
const sockClose = defineModel('__sock_release', file, {
  opsRelease: 'ops->release(sock);',
});

export type CreateFn = (k: Kernel, sock: Socket, protocol: number, kern: boolean) => number;
export type RecvmsgFn = (k: Kernel, sock: Socket, msg: MsgHdr, len: number, flags: number) => number;
export type SetsockoptFn = (
  k: Kernel,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
) => number;
export type GetsockoptFn = (
  k: Kernel,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
) => number;
/** proto_ops.getname: fills the kernel's sockaddr_storage, returns its length or -errno. */
export type GetnameFn = (k: Kernel, sock: Socket, address: number[], peer: number) => number;
export type AddressFn = (k: Kernel, sock: Socket, address: number[], addrlen: number) => number;
export type ReleaseFn = (k: Kernel, sock: Socket) => number;
export type SendmsgFn = (k: Kernel, sock: Socket, msg: SendMsgHdr, size: number) => number;

const sockaddrStorageSize = 128;

function sockfdLookup(k: Kernel, fd: number): Socket | number {
  return k.files.get(fd) ?? k.err('EBADF');
}

function moveAddrToKernel(k: Kernel, address: number, addrlen: number): number[] | number {
  if (addrlen < 0 || addrlen > sockaddrStorageSize) return k.err('EINVAL');
  if (addrlen === 0) return [];
  return k.memory.read(address, addrlen) ?? k.err('EFAULT');
}

/** move_addr_to_user: copies min(klen, *ulen) bytes and stores klen in *ulen. */
function moveAddrToUser(
  k: Kernel,
  kaddr: number[],
  klen: number,
  uaddr: number,
  ulenAddress: number,
): number {
  const ulenBytes = k.memory.read(ulenAddress, 4);
  if (!ulenBytes) return k.err('EFAULT');
  const ulen = readU32(ulenBytes, 0) | 0;
  if (ulen < 0) return k.err('EINVAL');
  const copy = Math.min(klen, ulen);
  if (copy > 0 && !k.memory.write(uaddr, kaddr.slice(0, copy))) return k.err('EFAULT');
  return k.memory.write(ulenAddress, u32(klen)) ? 0 : k.err('EFAULT');
}

export function __sys_socket(k: Kernel, family: number, type: number, protocol: number): number {
  return k.fn(sysSocket, { family, type, protocol }, (f) => {
    const result = __sock_create(k, family, type & k.c.SOCK_TYPE_MASK, protocol, false);
    if (typeof result === 'number') {
      f.at('create', { err: k.errnoName(result) }, 'create failed');
      return result;
    }
    const fd = k.installFd(result);
    f.at('mapFd', { fd });
    return fd;
  });
}

export function __sock_create(
  k: Kernel,
  family: number,
  type: number,
  protocol: number,
  kern: boolean,
): Socket | number {
  return k.fn(sockCreate, { family, type, protocol }, (f) => {
    if (family < 0 || family >= k.c.NPROTO) {
      f.at('familyRange', { family }, 'family out of range');
      return k.err('EAFNOSUPPORT');
    }
    if (type < 0 || type >= k.c.SOCK_MAX) {
      f.at('typeRange', { type }, 'type out of range');
      return k.err('EINVAL');
    }
    if (family === k.c.PF_INET && type === k.c.SOCK_PACKET) {
      family = k.c.PF_PACKET;
      f.at('spktRewrite', { family }, 'PF_INET + SOCK_PACKET becomes PF_PACKET');
    }
    const sock: Socket = { type, state: 'SS_FREE' };
    const pf = k.net_families.get(family);
    f.at('lookup', { family, 'net_families[family]': pf?.table ?? 'NULL' });
    if (!pf) {
      f.at('noFamily', {}, 'no such family');
      return k.err('EAFNOSUPPORT');
    }
    const create = f.hop('create', 'net_proto_family', pf.table, 'create', pf.file);
    const err = k.implementation<CreateFn>(create)(k, sock, protocol, kern);
    if (err < 0) return err;
    return sock;
  });
}

export function __sys_setsockopt(
  k: Kernel,
  fd: number,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(sysSetsockopt, { fd, level, optname, optlen }, (f) => {
    const sock = sockfdLookup(k, fd);
    if (typeof sock === 'number') return sock;
    if (k.since('6.12')) {
      f.at('doSetsockopt');
      return do_sock_setsockopt(k, sock, level, optname, optval, optlen);
    }
    if (optlen < 0) {
      f.at('optlen', { optlen }, 'negative length');
      return k.err('EINVAL');
    }
    return dispatchSetsockopt(k, f, sock, level, optname, optval, optlen);
  });
}

function dispatchSetsockopt(
  k: Kernel,
  f: ModelFrame,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  if (level === k.c.SOL_SOCKET) {
    f.at('solSocket', { level: 'SOL_SOCKET' });
    return sock_setsockopt(k, sock, optname, optval, optlen);
  }
  const target = f.hop('opsSetsockopt', 'proto_ops', sock.ops ?? '', 'setsockopt', sock.opsFile);
  return k.implementation<SetsockoptFn>(target)(k, sock, level, optname, optval, optlen);
}

export function do_sock_setsockopt(
  k: Kernel,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(doSockSetsockopt, { level, optname, optlen }, (f) => {
    if (optlen < 0) {
      f.at('optlen', { optlen }, 'negative length');
      return k.err('EINVAL');
    }
    return dispatchSetsockopt(k, f, sock, level, optname, optval, optlen);
  });
}

/** get_user(len, optlen) as the getsockopt functions read it: the length, or -EFAULT. */
export function readOptlen(k: Kernel, optlen: number): number | { err: number } {
  const bytes = k.memory.read(optlen, 4);
  return bytes ? readU32(bytes, 0) | 0 : { err: k.err('EFAULT') };
}

/** The common tail of the getsockopt functions: len = min(len, lv), put_user(len), copy_to_user(data, len). */
export function putOption(
  k: Kernel,
  optval: number,
  optlen: number,
  len: number,
  data: readonly number[],
): number {
  const copied = Math.min(len, data.length);
  if (!k.memory.write(optlen, u32(copied))) return k.err('EFAULT');
  if (copied > 0 && !k.memory.write(optval, data.slice(0, copied))) return k.err('EFAULT');
  return 0;
}

export function __sys_getsockopt(
  k: Kernel,
  fd: number,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(sysGetsockopt, { fd, level, optname }, (f) => {
    const sock = sockfdLookup(k, fd);
    if (typeof sock === 'number') return sock;
    if (k.since('6.12')) {
      f.at('doGetsockopt');
      return k.fn(doSockGetsockopt, { level, optname }, (g) =>
        dispatchGetsockopt(k, g, sock, level, optname, optval, optlen),
      );
    }
    return dispatchGetsockopt(k, f, sock, level, optname, optval, optlen);
  });
}

function dispatchGetsockopt(
  k: Kernel,
  f: ModelFrame,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  if (level === k.c.SOL_SOCKET) {
    f.at('solSocket', { level: 'SOL_SOCKET' });
    return k.since('6.12')
      ? sk_getsockopt(k, sock.sk!, optname, optval, optlen)
      : sock_getsockopt(k, sock, optname, optval, optlen);
  }
  if (!k.hasSlot(sock.ops ?? '', 'getsockopt', sock.opsFile)) {
    f.at('noOps', { 'sock->ops': sock.ops ?? 'NULL' }, 'no getsockopt in the ops: -EOPNOTSUPP');
    return k.err('EOPNOTSUPP');
  }
  const target = f.hop('opsGetsockopt', 'proto_ops', sock.ops ?? '', 'getsockopt', sock.opsFile);
  return k.implementation<GetsockoptFn>(target)(k, sock, level, optname, optval, optlen);
}

export function __sys_getsockname(k: Kernel, fd: number, usockaddr: number, usockaddrLen: number): number {
  return k.fn(sysGetsockname, { fd }, (f) => {
    const sock = sockfdLookup(k, fd);
    if (typeof sock === 'number') return sock;
    const address = new Array<number>(sockaddrStorageSize).fill(0);
    const target = f.hop('opsGetname', 'proto_ops', sock.ops ?? '', 'getname', sock.opsFile);
    const length = k.implementation<GetnameFn>(target)(k, sock, address, 0);
    if (length < 0) return length;
    const err = moveAddrToUser(k, address, length, usockaddr, usockaddrLen);
    f.at('copyAddress', { len: length }, err < 0 ? k.errnoName(err) : undefined);
    return err;
  });
}

export function __sys_bind(k: Kernel, fd: number, umyaddr: number, addrlen: number): number {
  return k.fn(sysBind, { fd, addrlen }, (f) => {
    const sock = sockfdLookup(k, fd);
    if (typeof sock === 'number') return sock;
    const address = moveAddrToKernel(k, umyaddr, addrlen);
    f.at('copyAddress', { addrlen }, typeof address === 'number' ? 'copy failed' : undefined);
    if (typeof address === 'number') return address;
    const anchor = k.since('6.12') ? 'bindSocket' : 'opsBind';
    const target = f.hop(anchor, 'proto_ops', sock.ops ?? '', 'bind', sock.opsFile);
    return k.implementation<AddressFn>(target)(k, sock, address, addrlen);
  });
}

export function __sys_connect(k: Kernel, fd: number, uservaddr: number, addrlen: number): number {
  return k.fn(sysConnect, { fd, addrlen }, (f) => {
    const sock = sockfdLookup(k, fd);
    if (typeof sock === 'number') return sock;
    const address = moveAddrToKernel(k, uservaddr, addrlen);
    f.at('copyAddress', { addrlen }, typeof address === 'number' ? 'copy failed' : undefined);
    if (typeof address === 'number') return address;
    return k.fn(sysConnectFile, {}, (inner) => {
      const target = inner.hop('opsConnect', 'proto_ops', sock.ops ?? '', 'connect', sock.opsFile);
      return k.implementation<AddressFn>(target)(k, sock, address, addrlen);
    });
  });
}

export function __sys_recvfrom(
  k: Kernel,
  fd: number,
  ubuf: number,
  size: number,
  flags: number,
  addr: number,
  addrLen: number,
): number {
  return k.fn(sysRecvfrom, { fd, size, flags }, (f) => {
    const sock = sockfdLookup(k, fd);
    f.at(
      k.since('6.12') ? 'lookupFd' : 'lookup',
      { fd },
      typeof sock === 'number' ? 'bad descriptor' : undefined,
    );
    if (typeof sock === 'number') return sock;
    const msg: MsgHdr = {
      msg_name: addr ? new Array<number>(sockaddrStorageSize).fill(0) : undefined,
      msg_namelen: 0,
      iov_base: ubuf,
      iov_len: size,
      msg_controllen: 0,
      control_used: 0,
      msg_flags: 0,
    };
    f.at('recvmsg', { flags });
    let err = sock_recvmsg(k, sock, msg, flags);
    if (err >= 0 && addr && msg.msg_name) {
      const err2 = moveAddrToUser(k, msg.msg_name, msg.msg_namelen, addr, addrLen);
      f.at('copyAddress', { msg_namelen: msg.msg_namelen });
      if (err2 < 0) err = err2;
    }
    return err;
  });
}

/** recvmsg(2): the user msghdr is read, the receive runs, and msg_flags/msg_controllen are written back. */
export function __sys_recvmsg(k: Kernel, fd: number, userMsg: number, flags: number): number {
  // recvmsg(2) is the native entry (forbid_cmsg_compat): the compat flag is refused before the fd.
  if (flags & k.c.MSG_CMSG_COMPAT) return k.err('EINVAL');
  const sock = sockfdLookup(k, fd);
  if (typeof sock === 'number') return sock;
  const header = k.memory.read(userMsg, 56);
  if (!header) return k.err('EFAULT');
  const uaddr = readU64(header, 0);
  const iovAddress = readU64(header, 16);
  const iovlen = readU64(header, 24);
  const control = readU64(header, 32);
  const controllen = readU64(header, 40);
  const iov = iovlen > 0 ? k.memory.read(iovAddress, 16) : [];
  if (!iov) return k.err('EFAULT');
  return k.fn(sysRecvmsgInner, { fd, flags }, (f) => {
    const msg: MsgHdr = {
      msg_name: new Array<number>(sockaddrStorageSize).fill(0),
      msg_namelen: 0,
      iov_base: iovlen > 0 ? readU64(iov, 0) : 0,
      iov_len: iovlen > 0 ? readU64(iov, 8) : 0,
      msg_control: control || undefined,
      msg_controllen: controllen,
      control_used: 0,
      msg_flags: flags & k.c.MSG_CMSG_CLOEXEC,
    };
    f.at('recvmsg', { flags });
    const len = sock_recvmsg(k, sock, msg, flags);
    if (len < 0) return len;
    if (uaddr && msg.msg_name) {
      const err = moveAddrToUser(k, msg.msg_name, msg.msg_namelen, uaddr, userMsg + 8);
      f.at('copyAddress', { msg_namelen: msg.msg_namelen });
      if (err < 0) return err;
    }
    f.at('putFlags', { msg_flags: msg.msg_flags });
    if (!k.memory.write(userMsg + 48, u32(msg.msg_flags & ~k.c.MSG_CMSG_COMPAT))) return k.err('EFAULT');
    f.at('putControllen', { msg_controllen: msg.control_used });
    if (!k.memory.write(userMsg + 40, u64(msg.control_used))) return k.err('EFAULT');
    return len;
  });
}

export function sock_recvmsg(k: Kernel, sock: Socket, msg: MsgHdr, flags: number): number {
  return k.fn(sockRecvmsg, { flags }, (f) => {
    f.at('nosec');
    return k.fn(sockRecvmsgNosec, {}, (inner) => {
      const target = inner.hop('opsRecvmsg', 'proto_ops', sock.ops ?? '', 'recvmsg', sock.opsFile);
      return k.implementation<RecvmsgFn>(target)(k, sock, msg, msg.iov_len, flags);
    });
  });
}

/** The bytes of a user buffer, or undefined when the scenario's memory does not hold them (EFAULT at the copy). */
function userBytes(k: Kernel, address: number, length: number): number[] | undefined {
  if (length === 0) return [];
  return address ? k.memory.read(address, length) : undefined;
}

export function __sys_sendto(
  k: Kernel,
  fd: number,
  buff: number,
  len: number,
  flags: number,
  addr: number,
  addrLen: number,
): number {
  return k.fn(sysSendto, { fd, len, flags, addr_len: addrLen }, (f) => {
    const sock = sockfdLookup(k, fd);
    f.at(
      k.since('6.12') ? 'lookupFd' : 'lookup',
      { fd },
      typeof sock === 'number' ? 'bad descriptor' : undefined,
    );
    if (typeof sock === 'number') return sock;
    const msg: SendMsgHdr = {
      msg_namelen: 0,
      data: userBytes(k, buff, len),
      msg_controllen: 0,
      msg_flags: 0,
    };
    if (addr) {
      const address = moveAddrToKernel(k, addr, addrLen);
      f.at('copyAddress', { addr_len: addrLen }, typeof address === 'number' ? 'copy failed' : undefined);
      if (typeof address === 'number') return address;
      msg.msg_name = address;
      msg.msg_namelen = addrLen;
    }
    msg.msg_flags = flags & ~k.c.MSG_INTERNAL_SENDMSG_FLAGS;
    f.at('flags', { flags: msg.msg_flags });
    f.at('sendmsg');
    return __sock_sendmsg(k, sock, msg, len);
  });
}

/** write(2) on a socket: sock_write_iter sends the buffer with no address and no flags. */
export function sock_write_iter(k: Kernel, fd: number, buff: number, len: number): number {
  const sock = sockfdLookup(k, fd);
  if (typeof sock === 'number') return sock;
  return k.fn(sockWriteIter, { len }, (f) => {
    const msg: SendMsgHdr = {
      msg_namelen: 0,
      data: userBytes(k, buff, len),
      msg_controllen: 0,
      msg_flags: 0,
    };
    if (sock.type === k.c.SOCK_SEQPACKET) msg.msg_flags |= k.c.MSG_EOR;
    f.at('sendmsg', { msg_flags: msg.msg_flags });
    return __sock_sendmsg(k, sock, msg, len);
  });
}

/** The largest iovec count sendmsg accepts (UIO_MAXIOV). */
const uioMaxIov = 1024;

/** sendmsg(2): the user msghdr and its iovecs are copied in, then ____sys_sendmsg sends. */
export function __sys_sendmsg(k: Kernel, fd: number, userMsg: number, flags: number): number {
  return k.fn(sysSendmsg, { fd, flags }, (f) => {
    if (flags & k.c.MSG_CMSG_COMPAT) {
      f.at('compat', {}, 'MSG_CMSG_COMPAT on the native entry: -EINVAL');
      return k.err('EINVAL');
    }
    const sock = sockfdLookup(k, fd);
    if (typeof sock === 'number') return sock;
    f.at('send');
    return k.fn(sysSendmsgCopy, {}, (g) => {
      const copied = sendmsgCopyMsghdr(k, userMsg);
      g.at(
        'copy',
        typeof copied === 'number' ? { err: k.errnoName(copied) } : { msg_namelen: copied.msg.msg_namelen },
      );
      if (typeof copied === 'number') return copied;
      g.at('send');
      return k.fn(sysSendmsgInner, { flags }, (h) => {
        if (copied.msg.msg_controllen > 0)
          throw new NotModelled('control messages on send (sendmsg with msg_controllen)');
        copied.msg.msg_flags = flags & ~k.c.MSG_INTERNAL_SENDMSG_FLAGS;
        h.at('flags', { msg_flags: copied.msg.msg_flags });
        h.at('sendmsg');
        return __sock_sendmsg(k, sock, copied.msg, copied.size);
      });
    });
  });
}

/** copy_msghdr_from_user and the iovec import: the kernel's msghdr, or -errno. */
function sendmsgCopyMsghdr(k: Kernel, userMsg: number): { msg: SendMsgHdr; size: number } | number {
  const header = k.memory.read(userMsg, 56);
  if (!header) return k.err('EFAULT');
  const name = readU64(header, 0);
  let namelen = readU32(header, 8) | 0;
  const iovAddress = readU64(header, 16);
  const iovlen = readU64(header, 24);
  const controllen = readU64(header, 40);
  if (!name) namelen = 0;
  if (namelen < 0) return k.err('EINVAL');
  namelen = Math.min(namelen, sockaddrStorageSize);
  if (iovlen > uioMaxIov) return k.err('EMSGSIZE');
  const msg: SendMsgHdr = { msg_namelen: namelen, data: [], msg_controllen: controllen, msg_flags: 0 };
  if (name) {
    const address = k.memory.read(name, namelen);
    if (!address) return k.err('EFAULT');
    msg.msg_name = address;
  }
  let size = 0;
  for (let i = 0; i < iovlen; i++) {
    const iov = k.memory.read(iovAddress + i * 16, 16);
    if (!iov) return k.err('EFAULT');
    const length = readU64(iov, 8);
    size += length;
    const bytes = userBytes(k, readU64(iov, 0), length);
    msg.data = msg.data && bytes ? msg.data.concat(bytes) : undefined;
  }
  return { msg, size };
}

export function __sock_sendmsg(k: Kernel, sock: Socket, msg: SendMsgHdr, size: number): number {
  return k.fn(sockSendmsg, { size }, (f) => {
    f.at('nosec');
    return k.fn(sockSendmsgNosec, {}, (inner) => {
      const target = inner.hop('opsSendmsg', 'proto_ops', sock.ops ?? '', 'sendmsg', sock.opsFile);
      if (!k.hasImplementation(target)) throw new NotModelled(`${target} (sending on this socket)`);
      return k.implementation<SendmsgFn>(target)(k, sock, msg, size);
    });
  });
}

export function sock_close(k: Kernel, fd: number): number {
  const sock = sockfdLookup(k, fd);
  if (typeof sock === 'number') return sock;
  k.files.delete(fd);
  const sk = sock.sk;
  return k.fn(sockClose, { fd }, (f) => {
    const target = f.hop('opsRelease', 'proto_ops', sock.ops ?? '', 'release', sock.opsFile);
    k.implementation<ReleaseFn>(target)(k, sock);
    if (sk && sk.sk_receive_queue.length > 0) k.closedWithQueue.push(sk);
    return 0;
  });
}

/** put_cmsg: appends one control message to the user's control buffer, or sets MSG_CTRUNC. */
export function putCmsg(k: Kernel, msg: MsgHdr, level: number, type: number, data: readonly number[]): void {
  const header = 16;
  const length = header + data.length;
  const space = Math.ceil(length / 8) * 8;
  const room = msg.msg_controllen - msg.control_used;
  if (msg.msg_control === undefined || room < header) {
    msg.msg_flags |= k.c.MSG_CTRUNC;
    return;
  }
  const fits = room >= length;
  if (!fits) msg.msg_flags |= k.c.MSG_CTRUNC;
  const written = fits ? length : room;
  const bytes = [...u64(written), ...u32(level), ...u32(type), ...data].slice(0, written);
  k.memory.write(msg.msg_control + msg.control_used, bytes);
  msg.control_used += Math.min(space, room);
}

/** skb_copy_datagram_msg: copies `copied` bytes from skb->data to the user buffer of msg. */
export function copyToMsg(k: Kernel, msg: MsgHdr, skb: SkBuff, copied: number): number {
  const unknown = unmodelledIn(skb, copied);
  if (unknown) throw new NotModelled(`the value of ${unknown.what}, which this receive copies to user space`);
  return k.memory.write(msg.iov_base, skbData(skb).slice(0, copied)) ? 0 : k.err('EFAULT');
}

/**
 * The address raw_recvmsg and ping_recvmsg give the caller: a sockaddr_in of the IP header's source,
 * port 0, into the kernel's msg_name. Returns the source, dotted, and the length written.
 */
export function putSourceSockaddrIn(
  k: Kernel,
  msgName: number[],
  skb: SkBuff,
): { sin_addr: string; addrLen: number } {
  const saddr = skb.head.slice(skb.network_header + 12, skb.network_header + 16);
  msgName.splice(0, 16, ...u16(k.c.AF_INET), 0, 0, ...saddr, 0, 0, 0, 0, 0, 0, 0, 0);
  return { sin_addr: ipv4At(saddr, 0), addrLen: 16 };
}

registerImplementation('sock_recvmsg', sock_recvmsg);
