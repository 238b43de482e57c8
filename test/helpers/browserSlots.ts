/**
 * How many real Chromiums run at once in one test run: one per core. A page
 * renders the game at 60 frames a second in software, and several at once on
 * two cores starve each other and everything beside them (a join that takes
 * 15 s, a key press the page sees late). Files run more at once than that
 * (vitest.config.ts), so a browser file waits for a slot, and the files beside
 * it that mostly wait go on meanwhile.
 *
 * The slots are handed out by a server in Vitest's main process (global
 * setup): a test file holds a connection to it for as long as its browser
 * runs, and the slot comes back when that connection closes, also when the
 * file's process dies.
 */
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import { availableParallelism } from "node:os";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";

/** Browsers at once: one per core. */
export const BROWSER_SLOTS = Math.max(1, availableParallelism());

/** The line a waiting file reads when its slot is free. */
const GRANTED = "granted\n";

declare module "vitest" {
  export interface ProvidedContext {
    /** The port of the browser slots' server on 127.0.0.1. */
    browserSlotsPort: number;
  }
}

/** Vitest global setup: starts the slots' server and tells the test files its port. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const queue: Socket[] = [];
  let free = BROWSER_SLOTS;
  const grant = () => {
    while (free > 0 && queue.length > 0) {
      const holder = queue.shift()!;
      free--;
      holder.once("close", () => {
        free++;
        grant();
      });
      holder.write(GRANTED);
    }
  };
  const server = createServer((socket) => {
    socket.on("error", () => socket.destroy());
    socket.once("close", () => {
      const waiting = queue.indexOf(socket);
      if (waiting >= 0) queue.splice(waiting, 1);
    });
    queue.push(socket);
    grant();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("browserSlotsPort", (server.address() as AddressInfo).port);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Waits for a browser slot of this test run; the returned function gives it back. */
export async function takeBrowserSlot(): Promise<() => void> {
  const socket = connect(inject("browserSlotsPort"), "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.setEncoding("utf8").once("data", () => resolve());
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("the browser slots' server closed the connection")));
  });
  return () => socket.destroy();
}
