/**
 * `npm run bench:datagrams`: what a DataChannel costs, measured on loopback.
 *
 * 1. Channel open: N sessions join a real Arena server one after another and
 *    each opens its channel (node-datachannel's RTCPeerConnection running the
 *    browser's client code); the time from asking, right after joining, to the
 *    first datagram heard back. Then, when there is a Chromium, `--pages`
 *    pages join from the menu: the time from the own player's first drawn
 *    frame to the probe saying "datagram".
 * 2. Server CPU per client: the floor's traffic (one `--frame`-byte frame out
 *    and one `--input`-byte input in per client per tick at 30 Hz, no game)
 *    over WebSockets (`floor`) and over Arena's DataChannel endpoint
 *    (`datagram-floor`), each server alone in its process (pinned to core 0
 *    when it can be), with the CPU by thread and the UDP packets per client.
 *
 * Flags: --sessions N (30), --pages N (10), --clients N (64), --seconds S (20), --frame B (150), --input B (20).
 * Writes bench/results/datagrams.json.
 */
import "../testkit/sdkOverWs.ts";
import { readFileSync } from "node:fs";
import { WebSocket } from "ws";
import { Client } from "@colyseus/sdk";
import { guestClient } from "../client/net/auth.ts";
import { DatagramChannel } from "../client/net/datagramChannel.ts";
import { DatagramLink } from "../client/net/datagrams.ts";
import { ROOM_NAME } from "../shared/protocol.ts";
import { NODE_DATAGRAMS } from "../testkit/datagrams.ts";
import { pinClientsLeavingCpu0, startProcess, startServerProcess } from "../testkit/serverProcess.ts";
import { findChromium, launchChromium } from "../test/helpers/browser.ts";
import { buildClient, servingEnv } from "./lib/clientBuild.ts";
import { processCpuMicros, threadCpuBetween, threadCpuSplit } from "./lib/processCpu.ts";
import { percentile, progress, table, toolFlags, usageError, writeResult } from "./lib/report.ts";

const { flags, positional } = toolFlags("bench:datagrams", process.argv.slice(2), {
  sessions: 30, pages: 10, clients: 64, seconds: 20, frame: 150, input: 20,
});
if (positional.length > 0) usageError("bench:datagrams", `unexpected argument ${JSON.stringify(positional[0])}`);
const TICK_HZ = 30;
const WARM_UP_MS = 5000;
const peerConnection = NODE_DATAGRAMS === "websocket" ? usageError("bench:datagrams", "no peer connection") : NODE_DATAGRAMS.peerConnection;
const show = progress();
const serverCpus = pinClientsLeavingCpu0();

/** Join → channel open, ms, for `count` sessions joining one after another. */
async function openTimes(count: number): Promise<number[]> {
  const server = await startServerProcess({ MIN_PLAYERS: "0" });
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const client: Client = await guestClient(server.url);
      const room = await client.joinOrCreate(ROOM_NAME, { name: `Open ${i + 1}` });
      room.onMessage("*", () => {});
      const link = new DatagramLink(room, peerConnection);
      await until(() => link.stats.opened > 0 || link.stats.failed > 0, 20_000);
      if (link.stats.lastOpenMs !== undefined) times.push(link.stats.lastOpenMs);
      link.close();
      await room.leave(true);
      show(`channel open: ${i + 1}/${count}`);
    }
  } finally {
    await server.stop();
  }
  return times;
}

/** In Chromium: own player drawn → the probe says "datagram", ms, for `count` pages one after another. */
async function browserOpenTimes(count: number): Promise<number[]> {
  const chromium = findChromium();
  if (!chromium || count === 0) return [];
  const clientDir = new URL("../test-output/datagrams/client/", import.meta.url).pathname;
  await buildClient(clientDir);
  const server = await startServerProcess({ ...servingEnv(clientDir), MIN_PLAYERS: "0" });
  const browser = await launchChromium(chromium);
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const page = await browser.newPage();
      await page.goto(`${server.url}/?renderer=canvas`);
      await page.evaluate(() => {
        const marks = { joined: 0, open: 0 };
        (globalThis as unknown as { marks: typeof marks }).marks = marks;
        const watch = () => {
          const probe = (globalThis as unknown as { arenaProbe?: { me?: unknown; net?: { transport: string } } }).arenaProbe;
          if (!marks.joined && probe?.me) marks.joined = performance.now();
          if (!marks.open && probe?.net?.transport === "datagram") marks.open = performance.now();
          if (!marks.open) setTimeout(watch, 1);
        };
        watch();
      });
      await page.fill("form.menu input", `Page ${i + 1}`);
      await page.click("form.menu button[type=submit]");
      await page.waitForFunction(() => (globalThis as unknown as { marks: { open: number } }).marks.open > 0, null, { timeout: 30_000 });
      const marks = await page.evaluate(() => (globalThis as unknown as { marks: { joined: number; open: number } }).marks);
      times.push(Math.max(0, marks.open - marks.joined));
      await page.close();
      show(`channel open in Chromium: ${i + 1}/${count}`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return times;
}

/** One floor server's CPU per client-second (µs), its threads, and UDP packets per client-second. */
async function floorCost(kind: "floor" | "datagram-floor") {
  const server = await startProcess({
    script: new URL("./baseline/main.ts", import.meta.url).pathname, args: [kind], cpus: serverCpus,
    env: { TICK_HZ: String(TICK_HZ), FLOOR_FRAME_BYTES: String(flags.frame) },
  });
  const input = Buffer.alloc(flags.input, 0x14);
  const senders: Array<() => void> = [];
  const closers: Array<() => void> = [];
  try {
    for (let i = 0; i < flags.clients; i++) {
      const socket = new WebSocket(server.url.replace("http", "ws"));
      const messages: string[] = [];
      const waiting: Array<() => void> = [];
      socket.on("message", (data) => {
        messages.push(String(data));
        waiting.shift()?.();
      });
      const next = () => new Promise<string>((resolve) => (messages.length > 0 ? resolve(messages.shift()!) : waiting.push(() => resolve(messages.shift()!))));
      await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
      closers.push(() => socket.terminate());
      if (kind === "floor") {
        senders.push(() => socket.send(input));
        continue;
      }
      let proven!: () => void;
      const reached = new Promise<void>((resolve) => (proven = resolve));
      const channel = new DatagramChannel(peerConnection, { proven: () => proven(), received: () => {}, ended: () => {} });
      socket.send(await channel.answer(await next()));
      const { candidates, mid } = JSON.parse(await next()) as { candidates: string[]; mid: string };
      await channel.addCandidates(candidates, mid);
      await reached;
      senders.push(() => channel.send(input));
      closers.push(() => channel.close());
      show(`${kind}: ${i + 1}/${flags.clients} clients`);
    }
    const timer = setInterval(() => senders.forEach((send) => send()), 1000 / TICK_HZ);
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
    const pid = server.child.pid!;
    const [cpuBefore, threadsBefore, udpBefore, at] = [processCpuMicros(pid), threadCpuSplit(pid), udpPackets(), performance.now()];
    show(`${kind}: measuring ${flags.seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, flags.seconds * 1000));
    const seconds = (performance.now() - at) / 1000;
    const clientSeconds = flags.clients * seconds;
    const udp = udpPackets();
    clearInterval(timer);
    return {
      kind,
      serverMicrosPerClientSecond: Math.round((processCpuMicros(pid) - cpuBefore) / clientSeconds),
      threads: threadCpuBetween(threadsBefore, threadCpuSplit(pid)).slice(0, 8).map((thread) => ({
        name: thread.name, microsPerClientSecond: Math.round((thread.userMicros + thread.systemMicros) / clientSeconds),
      })),
      // Loopback: each packet is received once, by the server or by a client.
      udpPacketsPerClientSecond: Math.round(((udp.in - udpBefore.in) / clientSeconds) * 10) / 10,
    };
  } finally {
    closers.forEach((close) => close());
    await server.stop();
  }
}

/** The kernel's UDP counters (every socket of the machine). */
function udpPackets(): { in: number; out: number } {
  const lines = readFileSync("/proc/net/snmp", "utf8").split("\n").filter((line) => line.startsWith("Udp:"));
  const [names, values] = lines.map((line) => line.split(/\s+/).slice(1));
  const value = (name: string) => Number(values![names!.indexOf(name)]);
  return { in: value("InDatagrams"), out: value("OutDatagrams") };
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
}

const opens = await openTimes(flags.sessions);
const pageOpens = await browserOpenTimes(flags.pages);
const floors = [await floorCost("floor"), await floorCost("datagram-floor")];
const [ws, dc] = floors as [Awaited<ReturnType<typeof floorCost>>, Awaited<ReturnType<typeof floorCost>>];
const result = {
  channelOpen: { sessions: flags.sessions, opened: opens.length, p50Ms: round(percentile(opens, 0.5)), p90Ms: round(percentile(opens, 0.9)), maxMs: round(Math.max(...opens)) },
  channelOpenChromium: pageOpens.length === 0 ? undefined : {
    pages: pageOpens.length, p50Ms: round(percentile(pageOpens, 0.5)), p90Ms: round(percentile(pageOpens, 0.9)), maxMs: round(Math.max(...pageOpens)),
  },
  clients: flags.clients, seconds: flags.seconds, frameBytes: flags.frame, inputBytes: flags.input, tickHz: TICK_HZ, pinned: serverCpus !== undefined,
  floors,
  datagramOverWebSocket: Math.round((dc.serverMicrosPerClientSecond / ws.serverMicrosPerClientSecond) * 100) / 100,
};
console.log(table([
  ["channel open after joining, p50 / p90 / max", `${result.channelOpen.p50Ms} / ${result.channelOpen.p90Ms} / ${result.channelOpen.maxMs} ms (${opens.length}/${flags.sessions} opened)`],
  ["channel open in Chromium (drawn → datagram), p50 / p90", result.channelOpenChromium ? `${result.channelOpenChromium.p50Ms} / ${result.channelOpenChromium.p90Ms} ms` : "not measured (no Chromium, or --pages 0)"],
  ["server CPU per client, WebSocket floor", `${ws.serverMicrosPerClientSecond} µs/s, ${ws.udpPacketsPerClientSecond} UDP packets/s`],
  ["server CPU per client, DataChannel floor", `${dc.serverMicrosPerClientSecond} µs/s, ${dc.udpPacketsPerClientSecond} UDP packets/s`],
  ["DataChannel / WebSocket", `${result.datagramOverWebSocket} ×`],
  ["DataChannel floor by thread", dc.threads.map((thread) => `${thread.name} ${thread.microsPerClientSecond}`).join(", ")],
]));
console.log(`wrote ${writeResult("datagrams", result)}`);

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
