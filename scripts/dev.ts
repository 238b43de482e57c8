/**
 * `npm run dev`: the game server restarted on every change to server/ or
 * shared/ (node --watch), and Vite's dev server with hot reload for client/,
 * proxying the game's traffic to it. One URL to open: the one printed.
 * SIGINT or SIGTERM stops both, and frees both ports, before this exits.
 */
import { spawn } from "node:child_process";
import { createServer, type ViteDevServer } from "vite";

/** How long each part gets to stop by itself before it is made to. */
const STOP_GRACE_MS = 5000;

const gamePort = process.env.GAME_SERVER_PORT ?? "2567";
let vite: ViteDevServer | undefined;
let stopping = false;

// Listening first: a signal during start-up must not leave a child behind.
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

const game = spawn(process.execPath, [
  "--watch-path=server", "--watch-path=shared", "server/main.ts", "--no-client-build",
], { stdio: "inherit", env: { ...process.env, PORT: gamePort } });
const gameExited = new Promise<void>((resolve) => game.once("exit", () => resolve()));
game.on("exit", (code, signal) => {
  if (!stopping && signal === null && code !== 0) process.stderr.write(`game server exited with code ${code}; fix the error and save to restart\n`);
});
// Whatever ends this process, the game server does not outlive it.
process.on("exit", () => {
  if (game.exitCode === null && game.signalCode === null) game.kill("SIGKILL");
});

try {
  vite = await createServer({
    configFile: new URL("../vite.config.ts", import.meta.url).pathname,
    server: { port: Number(process.env.DEV_PORT ?? 5173), strictPort: true },
  });
  await vite.listen();
  vite.printUrls();
} catch (error) {
  process.stderr.write(`the dev server could not start: ${(error as Error).message}\n`);
  await stop(1);
}

/** Stops the game server and Vite, each within STOP_GRACE_MS (then forcibly), and exits with `code`. */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  game.kill("SIGTERM");
  const gameStopped = withDeadline(gameExited, () => game.kill("SIGKILL"));
  const viteStopped = withDeadline(vite?.close() ?? Promise.resolve(), () => undefined);
  await Promise.all([gameStopped, viteStopped]);
  process.exit(code);
}

function withDeadline(done: Promise<unknown>, onTimeout: () => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, STOP_GRACE_MS);
    done.then(() => {
      clearTimeout(timer);
      resolve();
    }, () => resolve());
  });
}
