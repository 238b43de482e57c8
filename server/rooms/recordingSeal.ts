import { once } from "node:events";
import { open, rm, type FileHandle } from "node:fs/promises";
import { createDeflate, type Deflate } from "node:zlib";
import type { CompressedReplay } from "../storage/matches.ts";
import type { RecordingSpool } from "./recordingSpool.ts";

/** Where a finished recording goes: a replay file (REPLAY_DIR), compressed for the database, or both. */
export interface SealTargets {
  file?: string;
  compress: boolean;
}

export interface SealedRecording {
  rawBytes: number;
  /** With `compress`. */
  replay?: CompressedReplay;
  /** Why the file could not be written (it is then removed); the compressed copy is not affected. */
  fileError?: unknown;
}

/** A finished recording's pieces in file order: the header line, what the spool holds (read back a megabyte at a time), the ticks still held. */
export async function* recordingPieces(head: Uint8Array, spool: RecordingSpool | undefined, rest: Uint8Array): AsyncGenerator<Uint8Array> {
  yield head;
  if (spool) yield* spool.readBack();
  yield rest;
}

/** zlib's output chunk: large, so that a match's compressed recording is a few blocks and not hundreds of small ones. */
const OUT_CHUNK_BYTES = 1 << 20;

let sealing: Promise<unknown> = Promise.resolve();

/**
 * Writes a finished recording out from its pieces to its file and through
 * deflate (on libuv's thread pool) at once. The raw recording is never whole
 * in memory: a busy room's three-minute match records megabytes (2.5 MB with
 * 16 load-test clients; 13 MB before rewind answers took grid steps), which the
 * file, a copy for the database and its base64 on disk each held whole before,
 * and rooms started together end their matches together. Only the compressed
 * copy (about two fifths) is kept, for the database.
 *
 * One recording is sealed at a time in a process, the others wait their turn:
 * the process's memory then holds one compressor's buffers, whatever the
 * number of rooms ending at once. Rejects when the pieces cannot be read (the
 * recording is lost; a partial file is removed).
 */
export function sealRecording(pieces: AsyncIterable<Uint8Array>, targets: SealTargets): Promise<SealedRecording> {
  const run = sealing.then(() => seal(pieces, targets));
  // The turn passes once this one is done, without keeping its result (megabytes) until the next.
  sealing = run.then(() => undefined, () => undefined);
  return run;
}

async function seal(pieces: AsyncIterable<Uint8Array>, targets: SealTargets): Promise<SealedRecording> {
  const file = targets.file ? await openFile(targets.file) : undefined;
  let handle = file && "handle" in file ? file.handle : undefined;
  let fileError = file && "error" in file ? file.error : undefined;
  const deflate = targets.compress ? createDeflate({ level: 6, chunkSize: OUT_CHUNK_BYTES }) : undefined;
  const compressed = deflate && collect(deflate);
  // Handled here as well, so that a compressor failing while the pieces are read never counts as unhandled.
  compressed?.catch(() => undefined);
  let rawBytes = 0;
  try {
    for await (const piece of pieces) {
      rawBytes += piece.length;
      if (handle) {
        try {
          await handle.writeFile(piece);
        } catch (error) {
          fileError = error;
          await closeAndRemove(handle, targets.file!);
          handle = undefined;
        }
      }
      if (deflate && !deflate.write(piece)) await once(deflate, "drain");
    }
    deflate?.end();
    const replay = compressed && { compressed: await compressed, rawBytes };
    await handle?.close();
    return { rawBytes, replay, fileError };
  } catch (error) {
    deflate?.destroy();
    await compressed?.catch(() => undefined);
    if (handle) await closeAndRemove(handle, targets.file!);
    throw error;
  }
}

async function openFile(path: string): Promise<{ handle: FileHandle } | { error: unknown }> {
  try {
    return { handle: await open(path, "w") };
  } catch (error) {
    return { error };
  }
}

async function closeAndRemove(handle: FileHandle, path: string): Promise<void> {
  await handle.close().catch(() => undefined);
  await rm(path, { force: true }).catch(() => undefined);
}

async function collect(deflate: Deflate): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of deflate) chunks.push(chunk as Buffer);
  // Copied out of zlib's megabyte blocks, which the last chunk would otherwise keep whole.
  return Buffer.concat(chunks);
}
