// The long connection's wire format, written from scratch (not node-sdk's codec) so tests check the SDK against an
// independent reading of it: protobuf (proto2) `pbbp2.Frame`, docs/feishu-platform.md#long-connection.
//   message Header { required string key = 1; required string value = 2; }
//   message Frame  { required uint64 SeqID = 1; required uint64 LogID = 2; required int32 service = 3;
//                    required int32 method = 4; repeated Header headers = 5; optional string payloadEncoding = 6;
//                    optional string payloadType = 7; optional bytes payload = 8; optional string LogIDNew = 9; }

/** method 0: control frames (ping, pong); 1: data frames (events, card callbacks, and their acks). */
export const FRAME_CONTROL = 0
export const FRAME_DATA = 1

export interface Frame {
  seqId: bigint
  logId: bigint
  service: number
  method: number
  headers: Array<{ key: string; value: string }>
  payloadEncoding?: string
  payloadType?: string
  payload?: Uint8Array
  logIdNew?: string
}

export function headerOf(frame: Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value
}

export function encodeFrame(f: Frame): Buffer {
  const out: number[] = []
  varintField(out, 1, f.seqId)
  varintField(out, 2, f.logId)
  varintField(out, 3, BigInt.asUintN(64, BigInt(f.service)))
  varintField(out, 4, BigInt.asUintN(64, BigInt(f.method)))
  for (const h of f.headers) {
    const inner: number[] = []
    bytesField(inner, 1, utf8(h.key))
    bytesField(inner, 2, utf8(h.value))
    bytesField(out, 5, Uint8Array.from(inner))
  }
  if (f.payloadEncoding !== undefined) bytesField(out, 6, utf8(f.payloadEncoding))
  if (f.payloadType !== undefined) bytesField(out, 7, utf8(f.payloadType))
  if (f.payload !== undefined) bytesField(out, 8, f.payload)
  if (f.logIdNew !== undefined) bytesField(out, 9, utf8(f.logIdNew))
  return Buffer.from(out)
}

export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf)
  const frame: Frame = { seqId: 0n, logId: 0n, service: 0, method: 0, headers: [] }
  const seen = new Set<number>()
  while (!r.done()) {
    const tag = Number(r.varint())
    const field = tag >>> 3
    const wire = tag & 7
    seen.add(field)
    if (wire === 0) {
      const v = r.varint()
      if (field === 1) frame.seqId = v
      else if (field === 2) frame.logId = v
      else if (field === 3) frame.service = Number(BigInt.asIntN(32, v))
      else if (field === 4) frame.method = Number(BigInt.asIntN(32, v))
    } else if (wire === 2) {
      const bytes = r.bytes()
      if (field === 5) frame.headers.push(decodeHeader(bytes))
      else if (field === 6) frame.payloadEncoding = text(bytes)
      else if (field === 7) frame.payloadType = text(bytes)
      else if (field === 8) frame.payload = new Uint8Array(bytes)
      else if (field === 9) frame.logIdNew = text(bytes)
    } else if (wire === 1) r.skip(8)
    else if (wire === 5) r.skip(4)
    else throw new Error(`frame: unsupported wire type ${wire}`)
  }
  // proto2 `required`: a frame without them is not one the SDK would have sent.
  for (const required of [1, 2, 3, 4]) if (!seen.has(required)) throw new Error(`frame: required field ${required} missing`)
  return frame
}

function decodeHeader(buf: Uint8Array): { key: string; value: string } {
  const r = new Reader(buf)
  let key: string | undefined
  let value: string | undefined
  while (!r.done()) {
    const tag = Number(r.varint())
    if ((tag & 7) !== 2) throw new Error('header: unexpected wire type')
    const bytes = r.bytes()
    if (tag >>> 3 === 1) key = text(bytes)
    else if (tag >>> 3 === 2) value = text(bytes)
  }
  if (key === undefined || value === undefined) throw new Error('header: key or value missing')
  return { key, value }
}

class Reader {
  private pos = 0
  constructor(private readonly buf: Uint8Array) {}
  done(): boolean {
    return this.pos >= this.buf.length
  }
  varint(): bigint {
    let result = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new Error('frame: truncated varint')
      const b = this.buf[this.pos++]!
      result |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result)
    }
    throw new Error('frame: varint too long')
  }
  bytes(): Uint8Array {
    const n = Number(this.varint())
    if (this.pos + n > this.buf.length) throw new Error('frame: truncated field')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
  skip(n: number): void {
    this.pos += n
  }
}

function varint(out: number[], value: bigint): void {
  let v = BigInt.asUintN(64, value)
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
}

function varintField(out: number[], field: number, value: bigint): void {
  varint(out, BigInt((field << 3) | 0))
  varint(out, value)
}

function bytesField(out: number[], field: number, bytes: Uint8Array): void {
  varint(out, BigInt((field << 3) | 2))
  varint(out, BigInt(bytes.length))
  for (const b of bytes) out.push(b)
}

const utf8 = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array) => new TextDecoder('utf-8').decode(b)
