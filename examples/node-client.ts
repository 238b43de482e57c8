/**
 * A headless Arena client in a page of code, using nothing but `@colyseus/sdk`
 * and the public contract (room "arena", the input fields, the state fields).
 * It joins with two clients, drives the first to the right for a second, and
 * prints what each saw. Bots and other clients can start from here.
 *
 *   npm run example:client -- http://localhost:2567
 */
import { Client, type Room } from "@colyseus/sdk";

interface PlayerOnWire { name: string; x: number; y: number; hp: number; score: number; alive: boolean }
interface Players { get(id: string): PlayerOnWire | undefined; readonly size: number }

const endpoint = process.argv[2] ?? "http://localhost:2567";
const TICK_MS = 1000 / 30;

const players = (room: Room) => (room.state as { players?: Players }).players;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

/** Joining needs a guest token: POST /auth/guest, then the SDK sends it as a Bearer token. */
async function clientWithToken(name: string): Promise<Client> {
  const response = await fetch(`${endpoint}/auth/guest`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }),
  });
  if (!response.ok) throw new Error(`no token: HTTP ${response.status} ${await response.text()}`);
  const client = new Client(endpoint);
  client.auth.token = ((await response.json()) as { token: string }).token;
  return client;
}

const first = await (await clientWithToken("Node One")).joinOrCreate("arena", { name: "Node One" });
await until("own player in the state", () => players(first)?.get(first.sessionId) !== undefined);
const me = players(first)!.get(first.sessionId)!;
const start = { x: me.x, y: me.y };
console.log(`joined room ${first.roomId} as ${me.name} at (${start.x}, ${start.y})`);

const second = await (await clientWithToken("Node Two")).joinById(first.roomId, { name: "Node Two" });
await until("both players on both clients", () => players(first)?.size === 2 && players(second)?.size === 2);
console.log(`second client sees: ${players(second)!.get(first.sessionId)!.name}`);

// One input per server tick: move right (or left, away from the right edge), aim along.
const direction = start.x < 800 ? 1 : -1;
const input = first.input();
for (let tick = 0; tick < 30; tick++) {
  Object.assign(input.data as object, { moveX: direction, moveY: 0, aim: direction > 0 ? 0 : Math.PI, fire: false });
  input.send();
  await sleep(TICK_MS);
}
await until("the server to move the player", () => Math.abs(me.x - start.x) > 100);
const seenBySecond = players(second)!.get(first.sessionId)!;
console.log(`moved from x=${start.x} to x=${me.x}; the second client sees x=${seenBySecond.x}`);

await second.leave();
await first.leave();
