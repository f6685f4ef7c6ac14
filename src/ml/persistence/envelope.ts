import { crc32 } from './crc32';
import { ModelFormatError, ModelFormatErrorCode } from './model-format-error';

/**
 * The 16-byte envelope every model file has, whatever its payload:
 *
 *   0 4-character magic   4 u16 format version   6 u16 reserved   8 u32 payload bytes
 *   12 u32 CRC-32 of the payload   16 payload
 */
export const ENVELOPE_BYTES = 16;

/** `payload` in an envelope with `magic` and `version`. */
export function wrapPayload(magic: string, version: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(ENVELOPE_BYTES + payload.length);
  const head = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = magic.charCodeAt(i);
  head.setUint16(4, version, true);
  head.setUint16(6, 0, true);
  head.setUint32(8, payload.length, true);
  head.setUint32(12, crc32(payload), true);
  out.set(payload, ENVELOPE_BYTES);
  return out;
}

/**
 * The payload of an envelope with `magic` and `version`, checked (size, magic, version, CRC) and
 * copied, so it starts 8-aligned and later edits of `bytes` cannot reach it. With `exact`, bytes
 * after the payload are refused too.
 */
export function unwrapPayload(
  bytes: Uint8Array,
  magic: string,
  version: number,
  options: { exact?: boolean } = {},
): Uint8Array {
  if (bytes.length < ENVELOPE_BYTES) {
    throw new ModelFormatError(ModelFormatErrorCode.Truncated, `only ${bytes.length} bytes`);
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== magic.charCodeAt(i)) {
      throw new ModelFormatError(ModelFormatErrorCode.NotAModel, `missing ${magic} header`);
    }
  }
  const head = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = head.getUint16(4, true);
  if (found !== version) {
    throw new ModelFormatError(
      ModelFormatErrorCode.UnsupportedVersion,
      `format version ${found}, this build reads ${version}`,
    );
  }
  const length = head.getUint32(8, true);
  const available = bytes.length - ENVELOPE_BYTES;
  if (available < length) {
    throw new ModelFormatError(
      ModelFormatErrorCode.Truncated,
      `payload needs ${length} bytes, has ${available}`,
    );
  }
  if (options.exact && available > length) {
    throw new ModelFormatError(
      ModelFormatErrorCode.Malformed,
      `${available - length} trailing bytes`,
    );
  }
  const payload = bytes.slice(ENVELOPE_BYTES, ENVELOPE_BYTES + length);
  if (crc32(payload) !== head.getUint32(12, true)) {
    throw new ModelFormatError(ModelFormatErrorCode.ChecksumMismatch, 'payload checksum differs');
  }
  return payload;
}

/** `n` rounded up to a multiple of 8 (payload sections start 8-aligned for typed views). */
export function align8(n: number): number {
  return (n + 7) & ~7;
}
