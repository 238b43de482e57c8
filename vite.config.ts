import { defineConfig } from "vite";

/** The game server the dev server proxies to (`npm run dev` starts it on this port). */
const gameServer = `http://127.0.0.1:${process.env.GAME_SERVER_PORT ?? 2567}`;

export default defineConfig(({ command }) => ({
  root: "client",
  define: {
    // The dev server proxies the game under /colyseus; a built client talks to its own origin.
    __GAME_PATH__: JSON.stringify(command === "serve" ? "/colyseus" : ""),
  },
  build: { outDir: "../dist/client", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    port: 5173,
    // One URL to open: matchmaking and room sockets go through Vite to the game server.
    proxy: {
      "/colyseus": {
        target: gameServer,
        ws: true,
        rewrite: (path) => path.replace(/^\/colyseus/, ""),
      },
    },
  },
}));
