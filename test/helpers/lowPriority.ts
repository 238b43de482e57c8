/**
 * Vitest setup file of the pure files (vitest.config.ts), which run beside
 * the measurements in real time (the netcheck runs): their worker process
 * runs at the lowest scheduling priority, so that it takes the CPU those
 * leave idle (they mostly wait: for a tick, a round trip, a process to start)
 * and yields it at once when one of them needs it.
 */
import { setPriority } from "node:os";

setPriority(19);
