// A seeded generator of classic programs that the checker mostly accepts, with every opcode and
// ancillary load in the mix, for the property test and the live-kernel comparison.
import { instruction, type ClassicInstruction } from '../../../server/src/models/cbpf';

/** mulberry32: small, seedable, good enough to spread test inputs. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const allowed = [
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, 0x54, 0x5c, 0x44, 0x4c, 0xa4, 0xac, 0x64, 0x6c,
  0x74, 0x7c, 0x84, 0x20, 0x28, 0x30, 0x80, 0x40, 0x48, 0x50, 0x00, 0x60, 0x81, 0xb1, 0x01, 0x61, 0x02, 0x03,
  0x07, 0x87, 0x06, 0x16, 0x05, 0x15, 0x1d, 0x35, 0x3d, 0x25, 0x2d, 0x45, 0x4d,
];

const interestingK = [
  0,
  1,
  2,
  4,
  12,
  14,
  15,
  16,
  23,
  31,
  32,
  0x7fff,
  0x8000,
  0xffffffff,
  0xfff00009,
  0xffe0000c,
  0xffdfffff,
  0x80000000,
  0xfffff040,
  0xfffff001,
  // Every ancillary load: SKF_AD_OFF + 0, 4, ..., 60.
  ...Array.from({ length: 16 }, (_, i) => (0xfffff000 + 4 * i) >>> 0),
];

/** Mostly a k the checker allows for this opcode, so that many programs get as far as running. */
function plausibleK(code: number, random: () => number): number | undefined {
  if (random() < 0.2) return undefined;
  if ([0x60, 0x61, 0x02, 0x03].includes(code)) return Math.floor(random() * 16);
  if ([0x64, 0x74].includes(code)) return Math.floor(random() * 32);
  if ([0x34, 0x94].includes(code)) return 1 + Math.floor(random() * 10);
  return undefined;
}

function randomInstruction(random: () => number, remaining: number): ClassicInstruction {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const code = random() < 0.97 ? pick(allowed) : Math.floor(random() * 0x10000);
  const k =
    plausibleK(code, random) ?? (random() < 0.7 ? pick(interestingK) : Math.floor(random() * 0x100000000));
  const offset = () =>
    random() < 0.9 ? Math.floor(random() * Math.max(1, remaining)) : Math.floor(random() * 256);
  const jumpK = code === 0x05 && random() < 0.9 ? offset() : k;
  return instruction(code, offset(), offset(), jumpK);
}

export function randomProgram(random: () => number): ClassicInstruction[] {
  const length = random() < 0.02 ? 0 : 1 + Math.floor(random() * (random() < 0.9 ? 12 : 60));
  const program = Array.from({ length }, (_, i) => randomInstruction(random, length - i - 1));
  if (length > 0 && random() < 0.8) program[length - 1] = instruction(random() < 0.5 ? 0x06 : 0x16, 0, 0, 1);
  return program;
}
