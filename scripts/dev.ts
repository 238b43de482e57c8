/**
 * `npm run dev`: the game server restarted on every change to server/ or
 * shared/ (node --watch), and Vite's dev server with hot reload for client/,
 * proxying the game's traffic to it. One URL to open: the one printed.
 */
import { spawn } from "node:child_process";
import { createServer } from "vite";

const gamePort = process.env.GAME_SERVER_PORT ?? "2567";
const game = spawn(process.execPath, [
  "--watch-path=server", "--watch-path=shared", "server/main.ts", "--no-client-build",
], { stdio: "inherit", env: { ...process.env, PORT: gamePort } });

const vite = await createServer({
  configFile: new URL("../vite.config.ts", import.meta.url).pathname,
  server: { port: Number(process.env.DEV_PORT ?? 5173) },
});
await vite.listen();
vite.printUrls();

const stop = async () => {
  game.kill("SIGTERM");
  await vite.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
game.on("exit", (code, signal) => {
  if (signal === null && code !== 0) process.stderr.write(`game server exited with code ${code}; fix the error and save to restart\n`);
});
