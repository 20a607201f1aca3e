// The x86-64 user-space layout of the types a scenario declares: sizes for sizeof and the field
// offsets that designated initialisers write. These are ABI facts of the scenario process, not of
// the kernel tree, which is why they are listed here rather than read from the index.

export interface FieldLayout {
  offset: number;
  size: 1 | 2 | 4 | 8;
}

export interface TypeLayout {
  size: number;
  fields: Readonly<Record<string, FieldLayout>>;
  /** Positional initialisers fill these fields in order. */
  order: readonly string[];
}

const scalar = (size: 1 | 2 | 4 | 8): TypeLayout => ({
  size,
  fields: { '': { offset: 0, size } },
  order: [''],
});

export const typeLayouts: Readonly<Record<string, TypeLayout>> = {
  int: scalar(4),
  'unsigned int': scalar(4),
  unsigned: scalar(4),
  short: scalar(2),
  'unsigned short': scalar(2),
  char: scalar(1),
  'unsigned char': scalar(1),
  long: scalar(8),
  'unsigned long': scalar(8),
  size_t: scalar(8),
  socklen_t: scalar(4),
  uint8_t: scalar(1),
  uint16_t: scalar(2),
  uint32_t: scalar(4),
  __u8: scalar(1),
  __u16: scalar(2),
  __u32: scalar(4),
  'struct sockaddr_ll': {
    size: 20,
    fields: {
      sll_family: { offset: 0, size: 2 },
      sll_protocol: { offset: 2, size: 2 },
      sll_ifindex: { offset: 4, size: 4 },
      sll_hatype: { offset: 8, size: 2 },
      sll_pkttype: { offset: 10, size: 1 },
      sll_halen: { offset: 11, size: 1 },
    },
    order: ['sll_family', 'sll_protocol', 'sll_ifindex', 'sll_hatype', 'sll_pkttype', 'sll_halen'],
  },
  'struct sockaddr_in': {
    size: 16,
    fields: {
      sin_family: { offset: 0, size: 2 },
      sin_port: { offset: 2, size: 2 },
      'sin_addr.s_addr': { offset: 4, size: 4 },
      sin_addr: { offset: 4, size: 4 },
    },
    order: ['sin_family', 'sin_port', 'sin_addr'],
  },
  'struct sockaddr': { size: 16, fields: { sa_family: { offset: 0, size: 2 } }, order: ['sa_family'] },
  'struct icmp_filter': { size: 4, fields: { data: { offset: 0, size: 4 } }, order: ['data'] },
  'struct sock_filter': {
    size: 8,
    fields: {
      code: { offset: 0, size: 2 },
      jt: { offset: 2, size: 1 },
      jf: { offset: 3, size: 1 },
      k: { offset: 4, size: 4 },
    },
    order: ['code', 'jt', 'jf', 'k'],
  },
  'struct sock_fprog': {
    size: 16,
    fields: { len: { offset: 0, size: 2 }, filter: { offset: 8, size: 8 } },
    order: ['len', 'filter'],
  },
  'struct msghdr': {
    size: 56,
    fields: {
      msg_name: { offset: 0, size: 8 },
      msg_namelen: { offset: 8, size: 4 },
      msg_iov: { offset: 16, size: 8 },
      msg_iovlen: { offset: 24, size: 8 },
      msg_control: { offset: 32, size: 8 },
      msg_controllen: { offset: 40, size: 8 },
      msg_flags: { offset: 48, size: 4 },
    },
    order: ['msg_name', 'msg_namelen', 'msg_iov', 'msg_iovlen', 'msg_control', 'msg_controllen', 'msg_flags'],
  },
  'struct iovec': {
    size: 16,
    fields: { iov_base: { offset: 0, size: 8 }, iov_len: { offset: 8, size: 8 } },
    order: ['iov_base', 'iov_len'],
  },
  'struct sockaddr_storage': { size: 128, fields: {}, order: [] },
  'struct tpacket_auxdata': { size: 20, fields: {}, order: [] },
};

/** Types a scenario may only hold pointers to, made by helpers. */
export const opaquePointerTypes = new Set(['struct knr_frame', 'struct msghdr']);
