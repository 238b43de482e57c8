/**
 * Vitest setup file of the pure files (vitest.config.ts): their worker
 * process runs at the lowest scheduling priority, so that it takes the CPU
 * the servers' files leave idle (they mostly wait: for a tick, a round trip,
 * a process to start) and yields it at once when one of them needs it, the
 * measurements in real time among them.
 */
import { setPriority } from "node:os";

setPriority(19);
