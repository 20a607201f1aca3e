// Reads the tables out of a call-hierarchy hop label: "via proto_ops.recvmsg (packet_ops, packet_ops_spkt)".
// The index may name one table per edge or all tables that share the hop; tests accept both.
export function hopTables(label: string | undefined, prefix: string, suffix: string): string[] {
  if (label === undefined || !label.startsWith(prefix) || !label.endsWith(suffix)) return [];
  return label
    .slice(prefix.length, label.length - suffix.length)
    .split(/[,，、]\s*/)
    .map((table) => table.trim());
}
