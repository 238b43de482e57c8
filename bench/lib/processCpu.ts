import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time (user + system) a process has used so far, in microseconds, read
 * from Linux's /proc: the sum of every live thread's scheduler run time
 * (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds), which is far finer than
 * `ps -o cputime` (seconds) or `/proc/<pid>/stat` (10 ms ticks). Threads that
 * ended before the call are missing from the sum, so measure differences over
 * a steady window. Throws where /proc is not there (not Linux).
 */
export function processCpuMicros(pid: number): number {
  let nanoseconds = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return nanoseconds / 1000;
}

/** The same for this process, from Node itself (user + system, microseconds). */
export function ownCpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Clock ticks per second of /proc/<pid>/stat's times (`getconf CLK_TCK`; 100 almost everywhere). */
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;

/**
 * A process's CPU time so far split into user and system (kernel) time, in
 * microseconds, from /proc/<pid>/stat (10 ms resolution): what share of a
 * server's CPU goes to the kernel (sockets, the loopback TCP stack).
 */
export function processCpuSplit(pid: number): { userMicros: number; systemMicros: number } {
  return statTimes(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** utime and stime of a /proc stat line, in microseconds. */
function statTimes(stat: string): { userMicros: number; systemMicros: number } {
  // Fields after the command name (which may contain spaces) start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const toMicros = (ticks: string) => (Number(ticks) / CLOCK_TICKS) * 1e6;
  return { userMicros: toMicros(fields[11]), systemMicros: toMicros(fields[12]) };
}

/** One thread's CPU time so far, split as `processCpuSplit` splits a process's. */
export interface ThreadCpu {
  tid: number;
  /** The thread's name (/proc/<pid>/task/<tid>/comm): "node" for the main thread, "V8 Worker", "libuv-worker"… */
  name: string;
  userMicros: number;
  systemMicros: number;
}

/**
 * Every live thread of a process with its user and system time so far, from
 * /proc/<pid>/task/<tid>/stat (10 ms resolution): which thread the time falls
 * on (the main thread's JavaScript and syscalls, V8's helpers, libuv's pool).
 */
export function threadCpuSplit(pid: number): ThreadCpu[] {
  const threads: ThreadCpu[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      threads.push({ tid: Number(tid), name, ...statTimes(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8")) });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/**
 * CPU time per thread between two `threadCpuSplit` readings, threads of the
 * same name summed (helper threads come and go), largest first; threads that
 * ended in between are missing.
 */
export function threadCpuBetween(before: readonly ThreadCpu[], after: readonly ThreadCpu[]): Array<{ name: string; userMicros: number; systemMicros: number }> {
  const start = new Map(before.map((thread) => [thread.tid, thread]));
  const byName = new Map<string, { name: string; userMicros: number; systemMicros: number }>();
  for (const thread of after) {
    const from = start.get(thread.tid);
    const entry = byName.get(thread.name) ?? { name: thread.name, userMicros: 0, systemMicros: 0 };
    entry.userMicros += thread.userMicros - (from?.userMicros ?? 0);
    entry.systemMicros += thread.systemMicros - (from?.systemMicros ?? 0);
    byName.set(thread.name, entry);
  }
  return [...byName.values()].sort((a, b) => b.userMicros + b.systemMicros - a.userMicros - a.systemMicros);
}

/** Jiffies one CPU (or all, for `undefined`) spent so far: in total, and stolen by the hypervisor. */
export function cpuTimes(cpu?: number): { total: number; steal: number } {
  const name = cpu === undefined ? "cpu" : `cpu${cpu}`;
  const line = readFileSync("/proc/stat", "utf8").split("\n").find((row) => row.startsWith(`${name} `));
  if (!line) return { total: 0, steal: 0 };
  // user nice system idle iowait irq softirq steal guest guest_nice
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: values.reduce((sum, value) => sum + value, 0), steal: values[7] };
}

/**
 * The share of a CPU's time the hypervisor gave to other guests between two
 * `cpuTimes` readings (0 on bare metal). On a virtual machine, a stolen slice
 * can be charged to whatever task was running, so a high share makes CPU
 * figures noisy.
 */
export function stealShare(before: { total: number; steal: number }, after: { total: number; steal: number }): number {
  const total = after.total - before.total;
  return total > 0 ? Math.round(((after.steal - before.steal) / total) * 1000) / 1000 : 0;
}
