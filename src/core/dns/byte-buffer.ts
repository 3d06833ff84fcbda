// The slice of Node's Buffer that dns-packet calls, over Uint8Array. The browser build aliases the
// `buffer` package to this file: the polyfill is 24.7 KB minified, this is under 2 KB, and docs/performance.md
// caps the background at 26 KB gzipped. Node keeps its own Buffer.

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export class Buffer extends Uint8Array {
  static alloc(size: number): Buffer {
    return new Buffer(size);
  }

  // `any` because Uint8Array.from's overloads take a map function where Buffer.from takes an encoding
  // (for a string) or a byte offset and length (for an ArrayBuffer).
  static override from(value: any, encodingOrOffset?: any, length?: number): Buffer {
    if (typeof value === 'string') {
      return encodingOrOffset === 'hex' ? Buffer.fromHex(value) : Buffer.fromBytes(utf8Encoder.encode(value));
    }
    if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
      // As Node's: a view of [offset, offset + length) sharing the memory; out of range is a RangeError.
      const offset = encodingOrOffset === undefined ? 0 : Number(encodingOrOffset);
      return new Buffer(value as ArrayBuffer, offset, length ?? value.byteLength - offset);
    }
    return Buffer.fromBytes(value as ArrayLike<number>);
  }

  static isBuffer(value: unknown): value is Buffer {
    return value instanceof Buffer;
  }

  static byteLength(value: string | ArrayLike<number>): number {
    return typeof value === 'string' ? utf8Encoder.encode(value).length : value.length;
  }

  static concat(list: readonly Uint8Array[]): Buffer {
    const out = new Buffer(list.reduce((n, b) => n + b.length, 0));
    let offset = 0;
    for (const b of list) {
      out.set(b, offset);
      offset += b.length;
    }
    return out;
  }

  private static fromBytes(bytes: ArrayLike<number>): Buffer {
    const out = new Buffer(bytes.length);
    out.set(bytes);
    return out;
  }

  private static fromHex(hex: string): Buffer {
    const out = new Buffer(hex.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return out;
  }

  private check(offset: number, size: number): void {
    // Node throws on reads outside the buffer; silently reading NaN would hide a malformed message.
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.length) throw new RangeError(`offset ${offset} is out of range`);
  }

  readUInt8(offset: number): number {
    this.check(offset, 1);
    return this[offset] as number;
  }

  readUInt16BE(offset: number): number {
    this.check(offset, 2);
    return ((this[offset] as number) << 8) | (this[offset + 1] as number);
  }

  readUInt32BE(offset: number): number {
    this.check(offset, 4);
    return (
      (((this[offset] as number) << 24) >>> 0) +
      (((this[offset + 1] as number) << 16) | ((this[offset + 2] as number) << 8) | (this[offset + 3] as number))
    );
  }

  writeUInt8(value: number, offset: number): number {
    this.check(offset, 1);
    this[offset] = value;
    return offset + 1;
  }

  writeUInt16BE(value: number, offset: number): number {
    this.check(offset, 2);
    this[offset] = value >>> 8;
    this[offset + 1] = value;
    return offset + 2;
  }

  writeUInt32BE(value: number, offset: number): number {
    this.check(offset, 4);
    this[offset] = value >>> 24;
    this[offset + 1] = value >>> 16;
    this[offset + 2] = value >>> 8;
    this[offset + 3] = value;
    return offset + 4;
  }

  /** UTF-8 only, as dns-packet uses it; returns the number of octets written. */
  write(text: string, offset = 0): number {
    const bytes = utf8Encoder.encode(text).subarray(0, Math.max(0, this.length - offset));
    this.set(bytes, offset);
    return bytes.length;
  }

  override toString(encoding = 'utf8', start = 0, end = this.length): string {
    const part = this.subarray(Math.max(0, start), Math.min(this.length, end));
    if (encoding === 'hex') return [...part].map((b) => b.toString(16).padStart(2, '0')).join('');
    return utf8Decoder.decode(part);
  }

  copy(target: Uint8Array, targetStart = 0, sourceStart = 0, sourceEnd = this.length): number {
    const part = this.subarray(sourceStart, Math.min(sourceEnd, sourceStart + target.length - targetStart));
    target.set(part, targetStart);
    return part.length;
  }

  /** Node's slice is a view, not a copy. */
  override slice(start?: number, end?: number): Buffer {
    return this.subarray(start, end) as Buffer;
  }
}
