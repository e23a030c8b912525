import { addDays, daysBetween } from '../common/calendar';

/**
 * Seeded pseudo-random numbers for the demo-data generator. Everything the seed writes is
 * derived from here, so the same `--seed` gives byte-identical rows on every machine.
 *
 * sfc32 rather than the usual mulberry32: mulberry32 has a 32-bit state, so a UUID built from
 * four consecutive outputs can take only 2^32 values and a million-returnee seed (several
 * million ids) would collide by the birthday bound. sfc32 has 128 bits of state and passes
 * PractRand, at about the same speed.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` separates independent sequences of one seed (ids, agencies, returnees…). */
  constructor(seed: number, stream = '') {
    // splitmix32 spreads the (often tiny) user seed and the stream hash over the state.
    let s = (seed ^ fnv1a(stream)) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // Discard the first outputs: sfc32 mixes poorly right after seeding.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks an item with probability proportional to `weight(item)`. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weight(item);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return items[items.length - 1];
  }

  /** A UUID with the version-4 layout (version nibble 4, RFC 4122 variant), from this stream. */
  uuid(): string {
    const w0 = this.uint32();
    const w1 = (this.uint32() & 0xffff0fff) | 0x00004000;
    const w2 = ((this.uint32() & 0x3fffffff) | 0x80000000) >>> 0;
    const w3 = this.uint32();
    const h = hex8(w0) + hex8(w1 >>> 0) + hex8(w2) + hex8(w3);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** FNV-1a, 32 bits: turns a stream name into a number to mix into the seed. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Calendar arithmetic lives in common/calendar.ts; the seed's modules import it from here too.
export { addDays, daysBetween };

/** A uniformly chosen date in [fromIso, toIso]. */
export function randomDate(rng: Prng, fromIso: string, toIso: string): string {
  return addDays(fromIso, rng.int(0, Math.max(0, daysBetween(fromIso, toIso))));
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** A timestamp on `isoDate` during office hours (Central Asia is UTC+5/+6, so 03:00–12:59 UTC). */
export function officeTimestamp(rng: Prng, isoDate: string): string {
  const hh = String(rng.int(3, 12)).padStart(2, '0');
  const mm = String(rng.int(0, 59)).padStart(2, '0');
  const ss = String(rng.int(0, 59)).padStart(2, '0');
  return `${isoDate}T${hh}:${mm}:${ss}Z`;
}
