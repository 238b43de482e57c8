/**
 * Several real server processes (`server/main.ts`, as `npm start` runs them)
 * sharing one Redis database, each on its own free loopback port with that
 * address as its PUBLIC_ADDRESS, and SDK clients that record which process
 * their room socket went to.
 */
import { Client } from "@colyseus/sdk";
import { GuestAuth } from "../../client/net/auth.ts";
import type { ArenaView, JoinOptions } from "../../shared/protocol.ts";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { freePort, startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";
import { createTestDatabase } from "./postgres.ts";
import type { ArenaClientRoom } from "./server.ts";

export interface ClusterMember {
  /** `http://127.0.0.1:<port>`: matchmaking and HTTP routes of this process. */
  readonly url: string;
  /** `127.0.0.1:<port>`: its PUBLIC_ADDRESS, where room sockets in its rooms connect. */
  readonly address: string;
  readonly server: ServerProcess;
}

/** A client's seat, and the process its room socket connected to. */
export interface Seat {
  room: ArenaClientRoom;
  /** The PUBLIC_ADDRESS of the process that holds the room. */
  address: string;
}

export interface Cluster {
  readonly members: ClusterMember[];
  /** Starts one more process on the same Redis. */
  add(): Promise<ClusterMember>;
  /** Stops every process still running: SIGTERM, then SIGKILL for one still alive after 10 s. */
  close(): Promise<void>;
}

/** Every process of one deployment signs and checks tokens with the same secret. */
const SHARED_AUTH_SECRET = "cluster-test-secret-shared-by-every-process";

/** Starts `count` processes on `redisUrl` with `env` (on top of quiet test defaults). */
export async function startCluster(count: number, redisUrl: string, env: Record<string, string> = {}): Promise<Cluster> {
  const members: ClusterMember[] = [];
  // A cluster keeps its player records in one PostgreSQL database: a fresh one, unless the test gives its own.
  const scratch = env.DATABASE_URL === undefined ? await createTestDatabase() : undefined;
  const databaseUrl = env.DATABASE_URL ?? scratch!.url;
  const add = async () => {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const server = await startServerProcess({
      PORT: String(port), REDIS_URL: redisUrl, PUBLIC_ADDRESS: address, DATABASE_URL: databaseUrl,
      MIN_PLAYERS: "0", SHUTDOWN_GRACE_SECONDS: "1", AUTH_SECRET: SHARED_AUTH_SECRET, ...env,
    });
    const member = { url: server.url, address, server };
    members.push(member);
    return member;
  };
  try {
    // One after another: each start health-checks the processes already registered.
    for (let i = 0; i < count; i++) await add();
  } catch (error) {
    await Promise.all(members.map((member) => stopMember(member)));
    await scratch?.drop();
    throw error;
  }
  return {
    members,
    add,
    async close() {
      await Promise.all(members.map((member) => stopMember(member)));
      await scratch?.drop();
    },
  };
}

async function stopMember({ server }: ClusterMember): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const killer = setTimeout(() => server.child.kill("SIGKILL"), 10_000);
  await server.stop();
  clearTimeout(killer);
}

/**
 * A seat in an `"arena"` room (quick play, create, join by id or code),
 * matchmaking through the process at `url`.
 */
export async function takeSeat(
  url: string,
  how: "joinOrCreate" | "create" | "joinById",
  options: JoinOptions & { private?: boolean } = {},
  roomId?: string,
  roomName: string = ROOM_NAME,
): Promise<Seat> {
  let address = "";
  const sdk = await sdkAt(url, (host) => { address = host; });
  const room = (how === "joinById"
    ? await sdk.joinById<ArenaView>(roomId!, options)
    : await sdk[how]<ArenaView>(roomName, options)) as ArenaClientRoom;
  return { room, address };
}

/**
 * The SDK client every join in these tests goes through (seats, the lobby,
 * spectator seats), matchmaking at `url`; `onRoomSocket` learns the host of
 * each room socket it opens. Asynchronous so that it can fetch a token first.
 */
export async function sdkAt(url: string, onRoomSocket: (host: string) => void = () => {}): Promise<Client> {
  const client = new Client(url, {
    urlBuilder: (endpoint) => {
      if (endpoint.protocol === "ws:" || endpoint.protocol === "wss:") onRoomSocket(endpoint.host);
      return endpoint.toString();
    },
  });
  // A token from this process is good on every process: they share AUTH_SECRET.
  client.auth.token = await new GuestAuth(url).token();
  return client;
}

/** A spectator seat in room `roomId` (or the room whose code it is) through `POST /watch` on the process at `url`. */
export async function watchThrough(url: string, roomId: string, name: string): Promise<ArenaClientRoom> {
  const client = await sdkAt(url);
  const response = await fetch(`${url}/watch/${roomId}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${client.auth.token}` },
    body: JSON.stringify({ name }),
  });
  if (!response.ok) throw new Error(`watch refused: ${response.status} ${await response.text()}`);
  const reservation = await response.json() as Parameters<Client["consumeSeatReservation"]>[0];
  return client.consumeSeatReservation(reservation) as Promise<ArenaClientRoom>;
}
