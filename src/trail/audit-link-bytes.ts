import { hash } from 'node:crypto';
import { canonicalFromCopy, copyFields } from './audit-link-row';
import { canonicalInto, MAX_GROWTH } from './audit-seal-bytes';

/**
 * The streamed walk's work per link, on the COPY row's bytes: no strings, no per-field objects,
 * one reused buffer. Profiled on 835,617 links (docs/audit.md, "Measured"): splitting the row
 * into strings, building the canonical text as a string, encoding it to UTF-8 and one hash
 * object per link took about three quarters of the walk, a third of that in the garbage
 * collector. Here one pass over the row's bytes reads the position and the stored hash and
 * writes the canonical event's UTF-8 straight after the hash before it and the position, the
 * three inputs of the link hash side by side, hashed with one `crypto.hash` call.
 *
 * The canonical event is written by the sealer's own byte form (`canonicalInto`,
 * audit-seal-bytes.ts), so sealing and verifying hash the same bytes by the same code; a row it
 * does not take (an escape it cannot prove, an odd timestamp) is built by `canonicalFromCopy`
 * (audit-link-row.ts), the string form the tests compare both with on hostile values.
 */
const TAB = 0x09;
const BACKSLASH = 0x5c;
const N = 0x4e;
const ZERO = 0x30;
/** Offsets in the work buffer: the hash before, the position, then the canonical event. */
const POS_AT = 32;
const CANON_AT = 40;

const HEX = new Int16Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[ZERO + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x61 + i] = 10 + i;
  HEX[0x41 + i] = 10 + i;
}

export class LinkBytes {
  /** The link's position (read by `read`). */
  position = 0;
  /** The link's stored hash, when it is 32 bytes of hex (else `oddHash`). */
  readonly stored = Buffer.alloc(32);
  /** A stored hash that is not 32 bytes (tampered): the link cannot match, and the next one is checked against it the slow way. */
  oddHash: Buffer | undefined;
  /** The link's event row was found (the join's id is not null). */
  present = false;
  /** End of the canonical event in the work buffer; -1 when it cannot be rendered (the sealer's own code decides). */
  private end = -1;
  private buf = Buffer.alloc(4096);
  /** `buf.subarray(0, n)` by n, made once: a link's hash input without a new Buffer object per link. */
  private views: Buffer[] = [];

  /** Reads one COPY row of LINK_COLUMNS: position, stored hash, and the canonical event into the work buffer. */
  read(chunk: Buffer): void {
    const lim = chunk.length - 1; // the row's newline
    let p = 0;
    let position = 0;
    for (; p < lim && chunk[p] !== TAB; p++) position = position * 10 + (chunk[p] - ZERO);
    this.position = position;
    p++;
    const hashAt = p;
    while (p < lim && chunk[p] !== TAB) p++;
    this.readHash(chunk, hashAt, p);
    p++;
    this.present = !(chunk[p] === BACKSLASH && chunk[p + 1] === N && chunk[p + 2] === TAB);
    this.end = -1;
    if (!this.present) return;
    const room = CANON_AT + chunk.length * MAX_GROWTH + 64;
    if (this.buf.length < room) this.grow(room);
    this.writePosition(position);
    this.end = canonicalInto(chunk, this.buf, CANON_AT, p, true);
    if (this.end < 0) this.slow(chunk);
  }

  /** Whether the link hash of the row read follows from `before` (32 bytes; the previous row's stored hash when `before` is 'previous'). */
  matches(before: Buffer | 'previous'): boolean {
    if (this.end < 0 || this.oddHash) return false;
    if (before !== 'previous') before.copy(this.buf, 0, 0, 32);
    const view = this.views[this.end] ?? (this.views[this.end] = this.buf.subarray(0, this.end));
    const digest = hash('sha256', view, 'binary'); // one character per byte: no Buffer object
    const stored = this.stored;
    for (let i = 0; i < 32; i++) if (digest.charCodeAt(i) !== stored[i]) return false;
    return true;
  }

  /** After a row: its stored hash becomes the hash before the next one. */
  advance(): void {
    this.stored.copy(this.buf, 0, 0, 32);
  }

  /** The canonical event of the row read, as text (for a link that did not match), or null when it cannot be rendered. */
  canonical(): string | null {
    return this.end < 0 ? null : this.buf.toString('utf8', CANON_AT, this.end);
  }

  /** The hash before the row read (the previous row's stored hash, after `advance`), as a new Buffer. */
  beforeCopy(): Buffer {
    return Buffer.from(this.buf.subarray(0, 32));
  }

  /** The stored hash as a new Buffer (kept beyond the row). */
  storedCopy(): Buffer {
    return this.oddHash ?? Buffer.from(this.stored);
  }

  private readHash(chunk: Buffer, from: number, to: number): void {
    this.oddHash = undefined;
    if (to - from === 64) {
      let ok = true;
      for (let i = 0; i < 32; i++) {
        const hi = HEX[chunk[from + 2 * i]];
        const lo = HEX[chunk[from + 2 * i + 1]];
        if (hi < 0 || lo < 0) ok = false;
        this.stored[i] = (hi << 4) | lo;
      }
      if (ok) return;
    }
    this.oddHash = Buffer.from(chunk.toString('latin1', from, to), 'hex');
  }

  private writePosition(n: number): void {
    this.buf.writeUInt32BE(Math.floor(n / 0x1_0000_0000), POS_AT);
    this.buf.writeUInt32BE(n >>> 0, POS_AT + 4);
  }

  private grow(size: number): void {
    const next = Buffer.alloc(size * 2);
    this.buf.copy(next, 0, 0, CANON_AT);
    this.buf = next;
    this.views = [];
  }

  /** The string form (audit-link-row.ts) for a row the byte form does not take. */
  private slow(chunk: Buffer): void {
    const canon = canonicalFromCopy(copyFields(chunk));
    if (canon === null) return;
    const bytes = Buffer.byteLength(canon, 'utf8');
    if (this.buf.length < CANON_AT + bytes + 1) this.grow(CANON_AT + bytes + 1);
    this.end = CANON_AT + this.buf.write(canon, CANON_AT, 'utf8');
  }
}
