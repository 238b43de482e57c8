import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { appendFile, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where a match's recording waits while the match goes on: a file under the
 * system's temporary directory, appended to in the background. A busy room
 * records about 14 kB a second (mostly the lag compensation's answers), so an
 * hour-long match held in memory would be fifty megabytes; the recorder hands
 * its chunks over here once they pass 64 kB (`HELD_BYTES` in matchRecorder.ts)
 * and reads them back a megabyte at a time when the match ends. Appends are
 * chained, in order; a failed write makes `readBack` fail (the recording is
 * lost, the match's results are not).
 */
export class RecordingSpool {
  private readonly file = join(tmpdir(), `arena-recording-${process.pid}-${randomUUID()}.part`);
  private writing: Promise<void> = Promise.resolve();
  private written = 0;

  /** Appends `chunks` to the file, after whatever was appended before. */
  append(chunks: readonly Uint8Array[]): void {
    if (chunks.length === 0) return;
    const bytes = Buffer.concat(chunks);
    this.written += bytes.length;
    this.writing = this.writing.then(() => appendFile(this.file, bytes));
  }

  /** Everything appended so far, in order; the file stays (a room moving away carries a copy). */
  async contents(): Promise<Uint8Array> {
    await this.writing;
    return this.written === 0 ? new Uint8Array(0) : await readFile(this.file);
  }

  /** Removes the file, once the appends under way are done (a recording carried on elsewhere). */
  async discard(): Promise<void> {
    await this.writing.catch(() => undefined);
    await rm(this.file, { force: true });
  }

  /** Bytes appended so far. */
  get length(): number {
    return this.written;
  }

  /** Everything appended, in order, a megabyte at a time; the file is removed once read, or on an error. */
  async *readBack(): AsyncGenerator<Uint8Array> {
    try {
      await this.writing;
      if (this.written === 0) return;
      for await (const chunk of createReadStream(this.file, { highWaterMark: READ_BYTES })) yield chunk as Buffer;
    } finally {
      await rm(this.file, { force: true });
    }
  }
}

/** How much of a spooled recording is read back at a time. */
const READ_BYTES = 1 << 20;
