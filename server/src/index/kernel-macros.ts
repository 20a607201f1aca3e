// Kernel macros the extractor understands. Data, in one place, so that a new wrapper or registrar
// is one line here.

/** Call wrappers whose first argument is the real callee (include/linux/indirect_call_wrapper.h). */
export const indirectCallWrappers: ReadonlySet<string> = new Set([
  'INDIRECT_CALL_1',
  'INDIRECT_CALL_2',
  'INDIRECT_CALL_3',
  'INDIRECT_CALL_4',
  'INDIRECT_CALL_INET',
  'INDIRECT_CALL_INET_1',
]);

/** Accessors that return their (first) argument unchanged as far as types go. */
export const transparentAccessors: ReadonlySet<string> = new Set([
  'READ_ONCE',
  'rcu_dereference',
  'rcu_dereference_bh',
  'rcu_dereference_sched',
  'rcu_dereference_raw',
  'rcu_dereference_check',
  'rcu_dereference_protected',
  'rcu_dereference_bh_check',
  'rcu_access_pointer',
  'rtnl_dereference',
  'smp_load_acquire',
  'srcu_dereference',
  'xchg',
]);

/** Macros whose arguments name a struct type: `container_of(ptr, struct T, member)`. */
export const containerOfMacros: ReadonlySet<string> = new Set([
  'container_of',
  'container_of_const',
  'list_entry',
  'list_first_entry',
  'list_first_entry_or_null',
  'list_last_entry',
  'list_entry_rcu',
  'hlist_entry',
  'hlist_entry_safe',
  'rb_entry',
  'rb_entry_safe',
]);

/**
 * Registration calls that make a table (or a handler) reachable at run time. The value is the
 * argument position(s) that carry the table; extend freely.
 */
export const registrars: ReadonlyMap<string, readonly number[]> = new Map(
  Object.entries({
    sock_register: [0],
    proto_register: [0],
    inet_register_protosw: [0],
    inet6_register_protosw: [0],
    inet_add_protocol: [0],
    inet6_add_protocol: [0],
    inet_add_offload: [0],
    dev_add_pack: [0],
    dev_add_offload: [0],
    register_pernet_subsys: [0],
    register_pernet_device: [0],
    register_netdevice_notifier: [0],
    nf_register_net_hook: [1],
    nf_register_net_hooks: [1],
    xt_register_target: [0],
    xt_register_match: [0],
    tcp_register_congestion_control: [0],
    rtnl_link_register: [0],
    genl_register_family: [0],
    register_filesystem: [0],
    crypto_register_alg: [0],
    sock_diag_register: [0],
    inet_diag_register: [0],
    udp_register_offload: [0],
  }),
);
