/** Frames as they cross the socket: their size and their protocol code. */

/** The size in bytes of a frame as it crosses the socket. */
export function frameBytes(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof data === "string") return utf8.encode(data).byteLength;
  return 0;
}

/** The first byte of a frame (the Colyseus protocol code and its modifier bits), or -1 for an empty or non-binary frame. */
export function frameCode(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength > 0 ? new Uint8Array(data, 0, 1)[0] : -1;
  if (ArrayBuffer.isView(data)) return data.byteLength > 0 ? new Uint8Array(data.buffer, data.byteOffset, 1)[0] : -1;
  return -1;
}

const utf8 = new TextEncoder();
