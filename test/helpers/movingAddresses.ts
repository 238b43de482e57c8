/**
 * Server processes at loopback addresses of their own (127.0.0.2, .3, …: each
 * binds its `HOST` and has its own PUBLIC_ADDRESS) on one logical database of
 * the machine's Redis and a PostgreSQL database of the file's own, and a front
 * at 127.0.0.1 that relays each new connection to one live process, the way a
 * load balancer or a Kubernetes Service does: the page, and matchmaking, go
 * through it; room sockets go to each process's own address.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll } from "vitest";
import { freePort, startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";
import { createTestDatabase } from "./postgres.ts";
import { redisTestUrl, useEmptyRedisDatabase } from "./redis.ts";

/** Every process of one deployment signs and checks tokens with the same secret. */
const AUTH_SECRET = "moves-anywhere-test-secret-shared-by-every-process";
/** The admin password of every process (POST /api/admin/drain). */
export const ADMIN_PASSWORD = "moves-anywhere-admin";

/** A process at an address of its own. */
export interface AddressedProcess {
  readonly server: ServerProcess;
  /** `http://<host>:<port>`: its HTTP routes. */
  readonly url: string;
  /** `<host>:<port>`: its PUBLIC_ADDRESS, where room sockets in its rooms connect. */
  readonly address: string;
}

/** The processes of one test file, and the front before them. */
export interface AddressedProcesses {
  /** A process at `host` (a free port), `env` on top of MIN_PLAYERS 0, RECONNECT_SECONDS 30; the front relays to it once it listens. */
  startAt(host: string, env?: Record<string, string>): Promise<AddressedProcess>;
  /** `http://127.0.0.1:<port>`: the front, where the page and matchmaking are. */
  front(): string;
  /** Takes a process out of the front's rotation (as readiness does when it drains). */
  unroute(process: AddressedProcess): void;
  /** Players (connected clients) process `processId` last reported to the cluster (Colyseus' `roomcount`: "rooms,ccu"). */
  playersCounted(processId: string): Promise<number>;
}

/**
 * Registers, in the current describe, the Redis database `db`, a PostgreSQL
 * database and the front for the file, and after each test kills whatever
 * process the test left running. `env` goes to every process.
 */
export function useAddressedProcesses(db: number, env: Record<string, string> = {}): AddressedProcesses {
  const redis = useEmptyRedisDatabase(db);
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let front: Front;
  const routed: AddressedProcess[] = [];
  const started: AddressedProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    front = await startFront(() => routed.find(({ server }) => server.child.exitCode === null));
  });
  afterAll(async () => {
    await front?.close();
    await database?.drop();
  });
  afterEach(() => {
    for (const { server } of started.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    routed.splice(0);
  });
  return {
    async startAt(host, extra = {}) {
      const port = await freePort();
      const address = `${host}:${port}`;
      const server = await startServerProcess({
        HOST: host, PORT: String(port), PUBLIC_ADDRESS: address, REDIS_URL: redisTestUrl(db), DATABASE_URL: database.url,
        AUTH_SECRET, ADMIN_PASSWORD, ALLOWED_ORIGINS: front.url, MIN_PLAYERS: "0", SHUTDOWN_GRACE_SECONDS: "1", RECONNECT_SECONDS: "30",
        ...env, ...extra,
      });
      const started_ = { server, url: `http://${address}`, address };
      started.push(started_);
      routed.push(started_);
      return started_;
    },
    front: () => front.url,
    async playersCounted(processId) {
      return Number((await redis().hget("roomcount", processId))?.split(",")[1] ?? 0);
    },
    unroute(process) {
      const index = routed.indexOf(process);
      if (index >= 0) routed.splice(index, 1);
      // An HTTP client's kept-alive connection would stay pinned to it (a TCP relay, unlike a load balancer, sees no requests).
      front.cut(process);
    },
  };
}

interface Front {
  url: string;
  /** Drops every connection relayed to `process`. */
  cut(process: AddressedProcess): void;
  close(): Promise<void>;
}

/** A TCP relay on 127.0.0.1 sending each new connection to `pick()`'s process (refused when there is none). */
async function startFront(pick: () => AddressedProcess | undefined): Promise<Front> {
  const sockets = new Set<Socket>();
  const relayed = new Map<AddressedProcess, Set<Socket>>();
  const server: Server = createServer((client) => {
    const target = pick();
    if (!target) {
      client.destroy();
      return;
    }
    const toTarget = relayed.get(target) ?? new Set<Socket>();
    relayed.set(target, toTarget);
    toTarget.add(client);
    client.on("close", () => toTarget.delete(client));
    const [host, port] = target.address.split(":");
    const upstream = connect(Number(port), host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    cut(process) {
      for (const socket of relayed.get(process) ?? []) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** POST /api/admin/drain `{ processId? }` on the process at `url`, with the admin's credentials. */
export async function requestDrain(url: string, processId?: string): Promise<Response> {
  return fetch(`${url}/api/admin/drain`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}` },
    body: JSON.stringify(processId === undefined ? {} : { processId }),
  });
}

/** The process id of the process at `url`, from its /healthz. */
export async function processIdOf(url: string): Promise<string> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { processId: string }).processId;
}
