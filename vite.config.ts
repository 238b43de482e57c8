import { defineConfig } from "vite";
import { precompress } from "./scripts/precompress.ts";

/** The game server the dev server proxies to (`npm run dev` starts it on this port). */
const gameServer = `http://127.0.0.1:${process.env.GAME_SERVER_PORT ?? 2567}`;

export default defineConfig(({ command }) => ({
  root: "client",
  define: {
    // The dev server proxies the game under /colyseus; a built client talks to its own origin.
    __GAME_PATH__: JSON.stringify(command === "serve" ? "/colyseus" : ""),
  },
  plugins: [precompress()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    // Phaser alone is about 1.37 MB minified; a chunk bigger than that is worth a look.
    chunkSizeWarningLimit: 1400,
    rolldownOptions: {
      output: {
        // Phaser in a chunk of its own: it changes only with its version, so a new build of
        // the game leaves it cached in the browser (its hashed name stays the same).
        codeSplitting: {
          groups: [{ name: "phaser", test: /[\\/]node_modules[\\/]phaser[\\/]/ }],
        },
      },
    },
  },
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
