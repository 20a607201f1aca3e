// The scenario process's memory as the kernel sees it through copy_from_user/copy_to_user: numbered
// allocations of bytes. An address outside every allocation faults (EFAULT), as in the kernel.

export class UserMemory {
  private readonly regions: { address: number; bytes: number[] }[] = [];
  private next = 0x10000;

  /** Allocates `bytes` (copied) and returns the address. */
  allocate(bytes: readonly number[]): number {
    const address = this.next;
    this.regions.push({ address, bytes: [...bytes] });
    // A gap after each region, so an overrun faults instead of reading the neighbour.
    this.next += Math.ceil((bytes.length + 64) / 64) * 64;
    return address;
  }

  private region(address: number, length: number): { address: number; bytes: number[] } | undefined {
    return this.regions.find((r) => address >= r.address && address + length <= r.address + r.bytes.length);
  }

  /** copy_from_user: the bytes, or undefined for a fault. */
  read(address: number, length: number): number[] | undefined {
    if (length === 0) return [];
    const region = this.region(address, length);
    return region?.bytes.slice(address - region.address, address - region.address + length);
  }

  /** copy_to_user: false for a fault. */
  write(address: number, bytes: readonly number[]): boolean {
    if (bytes.length === 0) return true;
    const region = this.region(address, bytes.length);
    if (!region) return false;
    region.bytes.splice(address - region.address, bytes.length, ...bytes);
    return true;
  }
}

export const readU16 = (b: readonly number[], o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
export const readU32 = (b: readonly number[], o: number): number =>
  (readU16(b, o) | (readU16(b, o + 2) << 16)) >>> 0;
export const readU64 = (b: readonly number[], o: number): number =>
  readU32(b, o) + readU32(b, o + 4) * 2 ** 32;

export function u16(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff];
}
export function u32(value: number): number[] {
  return [...u16(value & 0xffff), ...u16((value >>> 16) & 0xffff)];
}
export function u64(value: number): number[] {
  return [...u32(value % 2 ** 32), ...u32(Math.floor(value / 2 ** 32))];
}
