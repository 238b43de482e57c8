/**
 * The hostile clients of `npm run hostile`, in a process of their own so that
 * their work (a megabyte frame, a thousand frames a second) never shares an
 * event loop with the honest players being measured.
 *
 *   node bench/lib/attackWorker.ts '{"target":{…},"workers":8,"seconds":60}'
 *
 * Each worker walks the attack list from its own starting point, each attack
 * from a fresh loopback address, until the time is up. Prints one JSON line
 * with the running tally every second and a last one when done.
 */
import { ATTACKS as SOCKET_ATTACKS, type AttackTarget } from "./attacks.ts";
import { DATAGRAM_ATTACKS } from "./datagramAttacks.ts";

export interface AttackTally {
  tried: number;
  documented: number;
  disconnected: number;
  errors: number;
  /** The last outcome that was not as documented, or the last error. */
  last: string;
}

export interface AttackReport {
  done: boolean;
  tally: Record<string, AttackTally>;
}

const { target, workers, seconds } = JSON.parse(process.argv[2] ?? "{}") as { target: AttackTarget; workers: number; seconds: number };
// The datagram attacks when the server has datagrams on.
const ATTACKS = [...SOCKET_ATTACKS, ...(target.udpPort === undefined ? [] : DATAGRAM_ATTACKS)];
const tally: Record<string, AttackTally> = Object.fromEntries(ATTACKS.map((attack) => [attack.name, { tried: 0, documented: 0, disconnected: 0, errors: 0, last: "" }]));
const report = (done: boolean) => process.stdout.write(`${JSON.stringify({ done, tally } satisfies AttackReport)}\n`);

let address = 0;
/** 127.0.1.2, 127.0.1.3, …: never 127.0.0.x, where the honest players are. */
const nextAddress = () => {
  address++;
  return { from: `127.0.${1 + Math.floor(address / 250)}.${2 + (address % 250)}` };
};

const deadline = performance.now() + seconds * 1000;
async function worker(index: number): Promise<void> {
  for (let round = 0; performance.now() < deadline; round++) {
    const attack = ATTACKS[(index + round) % ATTACKS.length];
    const counts = tally[attack.name];
    counts.tried++;
    try {
      const outcome = await attack.run(target, nextAddress());
      if (outcome.documented) counts.documented++;
      else counts.last = outcome.detail;
      if (outcome.disconnected) counts.disconnected++;
    } catch (error) {
      counts.errors++;
      counts.last = error instanceof Error ? error.message : String(error);
    }
  }
}

const ticker = setInterval(() => report(false), 1000);
await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
clearInterval(ticker);
report(true);
