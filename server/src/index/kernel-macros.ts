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

/**
 * Annotations that the kernel's headers define away for the compiler (sparse address spaces,
 * section placement, attributes). tree-sitter-c does not know them and recovers from each with an
 * ERROR; they are masked with spaces before parsing, outside preprocessor lines.
 */
export const maskedAnnotations: ReadonlySet<string> = new Set([
  '__user',
  '__kernel',
  '__iomem',
  '__percpu',
  '__rcu',
  '__force',
  '__bitwise',
  '__safe',
  '__nocast',
  '__private',
  '__init',
  '__exit',
  '__initdata',
  '__initconst',
  '__exitdata',
  '__init_or_module',
  '__initdata_or_module',
  '__meminit',
  '__meminitdata',
  '__init_memblock',
  '__ref',
  '__refdata',
  '__refconst',
  '__net_init',
  '__net_exit',
  '__net_initdata',
  '__read_mostly',
  '__ro_after_init',
  '__maybe_unused',
  '__always_unused',
  '__used',
  '__must_check',
  '__always_inline',
  'noinline',
  '__cold',
  '__hot',
  'notrace',
  'noinstr',
  '__latent_entropy',
  '__randomize_layout',
  '__packed',
  '__weak',
  '__visible',
  'asmlinkage',
  '__sched',
  '__pure',
  '__noreturn',
  '__noclone',
  '__nocfi',
  '__malloc',
  '__nonstring',
  '__deprecated',
  '__attribute_const__',
  '__cacheline_aligned',
  '__cacheline_aligned_in_smp',
  '____cacheline_aligned',
  '____cacheline_aligned_in_smp',
  '__page_aligned_data',
  '__page_aligned_bss',
  '__kprobes',
  '__lockfunc',
]);

/** Annotations with a parenthesised argument, masked together with it: `__printf(2, 3)`. */
export const maskedAnnotationsWithArgument: ReadonlySet<string> = new Set([
  '__acquires',
  '__releases',
  '__must_hold',
  '__cond_acquires',
  '__printf',
  '__scanf',
  '__aligned',
  '__section',
  '__alloc_size',
  '__counted_by',
  '__assume_aligned',
]);

/**
 * A call of a name containing this, used as a statement head (`list_for_each_entry(p, h, m) { ... }`),
 * is a loop macro: it is parsed as `while (p, h, m)`, since tree-sitter-c sees a call missing its `;`.
 */
export const loopMacroMarker = 'for_each';

/**
 * Macros that define a function: `SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol) { ... }`
 * defines `sys_socket`. Each is followed by its number of parameters (0 to 6), then the name and a type
 * and a name per parameter. Maps the macro to the prefix the kernel puts before the written name.
 */
export const definitionMacros: ReadonlyMap<string, string> = new Map([
  ['SYSCALL_DEFINE', 'sys_'],
  ['COMPAT_SYSCALL_DEFINE', 'compat_sys_'],
  ['BPF_CALL_', ''],
]);
