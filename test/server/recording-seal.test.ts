/**
 * Sealing a finished recording (server/rooms/recordingSeal.ts): its pieces go
 * to the replay file and through deflate at once, one recording at a time in
 * a process; a piece that cannot be read loses the recording and leaves no
 * partial file, and a file that cannot be written keeps the compressed copy.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordingPieces, sealRecording } from "../../server/rooms/recordingSeal.ts";
import { RecordingSpool } from "../../server/rooms/recordingSpool.ts";

/** `count` pieces of `size` bytes, each filled with its own number; `onPiece` sees each as it is taken. */
async function* pieces(count: number, size: number, onPiece: (index: number) => void = () => {}): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < count; index++) {
    onPiece(index);
    await new Promise((resolve) => setTimeout(resolve, 1));
    yield new Uint8Array(size).fill(index + 1);
  }
}

const concat = (count: number, size: number) => Buffer.concat(Array.from({ length: count }, (_, index) => new Uint8Array(size).fill(index + 1)));

describe("sealing a recording", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "arena-seal-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the file and the compressed copy from the same pieces", async () => {
    const file = join(dir, "match.replay");
    const sealed = await sealRecording(pieces(40, 100_000), { file, compress: true });
    const expected = concat(40, 100_000);
    expect(sealed.rawBytes).toBe(expected.length);
    expect(sealed.replay!.rawBytes).toBe(expected.length);
    expect(readFileSync(file).equals(expected)).toBe(true);
    expect(inflateSync(sealed.replay!.compressed).equals(expected)).toBe(true);
    expect(sealed.replay!.compressed.byteLength).toBeLessThan(expected.length / 100);
    expect(sealed.fileError).toBeUndefined();
  });

  it("reads a spooled recording back in order, between the header and the held ticks, and removes the spool's file", async () => {
    const spool = new RecordingSpool();
    const spooled = Array.from({ length: 5 }, (_, index) => new Uint8Array(700_000).fill(10 + index));
    for (const chunk of spooled) spool.append([chunk]);
    expect(spool.length).toBe(3_500_000);
    const head = new TextEncoder().encode("{\"header\":true}\n");
    const rest = new Uint8Array([1, 2, 3]);
    const sealed = await sealRecording(recordingPieces(head, spool, rest), { compress: true });
    expect(inflateSync(sealed.replay!.compressed).equals(Buffer.concat([head, ...spooled, rest]))).toBe(true);
    const second = await sealRecording(recordingPieces(head, spool, rest), { compress: true }).catch((error: Error) => error);
    expect(second).toBeInstanceOf(Error);
  });

  it("seals one recording at a time, whatever the number of rooms ending together", async () => {
    const events: string[] = [];
    const sealing = [0, 1, 2].map((room) => sealRecording(pieces(3, 1000, (index) => events.push(`${room}:${index}`)), { compress: true }));
    await Promise.all(sealing);
    expect(events).toEqual(["0:0", "0:1", "0:2", "1:0", "1:1", "1:2", "2:0", "2:1", "2:2"]);
  });

  it("loses a recording whose pieces cannot be read, removes the partial file, and seals the next one", async () => {
    const file = join(dir, "lost.replay");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1000);
      throw new Error("spool unreadable");
    }
    await expect(sealRecording(failing(), { file, compress: true })).rejects.toThrow("spool unreadable");
    expect(existsSync(file)).toBe(false);
    const next = await sealRecording(pieces(2, 10), { file, compress: true });
    expect(readFileSync(file).equals(concat(2, 10))).toBe(true);
    expect(next.fileError).toBeUndefined();
  });

  it("keeps the compressed copy when the file cannot be written", async () => {
    const sealed = await sealRecording(pieces(3, 1000), { file: join(dir, "missing", "folder", "x.replay"), compress: true });
    expect((sealed.fileError as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect(inflateSync(sealed.replay!.compressed).equals(concat(3, 1000))).toBe(true);
  });

  it("writes only the file when nothing asks for a compressed copy", async () => {
    const file = join(dir, "only.replay");
    const sealed = await sealRecording(pieces(2, 10), { file, compress: false });
    expect(sealed.replay).toBeUndefined();
    expect(readFileSync(file).equals(concat(2, 10))).toBe(true);
  });
});
