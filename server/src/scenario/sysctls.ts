// The sysctls a scenario may set with knr_sysctl: per-namespace ones under net. only, so the live
// runner writes them in the scenario's own network namespace (never the host's) and the models keep
// them in their per-namespace state. The checker and the live admission both refuse any other name.
import type { Expr } from './ast';

/** The per-namespace sysctls the models take into their state, by their dotted name. */
export const namespaceSysctls: readonly string[] = ['net.ipv4.ping_group_range'];

/** Why knr_sysctl's name argument may not be used, or undefined when it names a supported sysctl. */
export function sysctlNameProblem(name: Expr | undefined): string | undefined {
  const supported = `the per-namespace sysctls a scenario may set: ${namespaceSysctls.join(', ')}`;
  if (name?.kind !== 'string') return `knr_sysctl takes the sysctl's name as a string literal (${supported})`;
  if (!name.value.startsWith('net.'))
    return `knr_sysctl: '${name.value}' is outside net., so not the scenario's own namespace (${supported})`;
  if (!namespaceSysctls.includes(name.value)) return `knr_sysctl: '${name.value}' is not one of ${supported}`;
  return undefined;
}
