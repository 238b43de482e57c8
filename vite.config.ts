import { defineConfig } from "vite";
import { precompress } from "./scripts/precompress.ts";

/** The game server the dev server proxies to (`npm run dev` starts it on this port). */
const gameServer = `http://127.0.0.1:${process.env.GAME_SERVER_PORT ?? 2567}`;

/**
 * Phaser from its own sources through its no-physics entry point: the game
 * simulates in shared/ and uses neither Arcade nor Matter physics, which the
 * prebuilt phaser.esm.js always carries (about 50 kB of gzip). The flags are
 * the ones Phaser's own build sets (node_modules/phaser/config): both
 * renderers and sound on, the WebGL debugger and the optional plugins off.
 * `Phaser.Physics` is therefore undefined at run time, whatever its typings say.
 * Production builds only: the dev server keeps the prebuilt file.
 */
const phaserWithoutPhysics = {
  alias: [{ find: /^phaser$/, replacement: new URL("./node_modules/phaser/src/phaser-no-physics.js", import.meta.url).pathname }],
  define: {
    "typeof CANVAS_RENDERER": "true",
    "typeof WEBGL_RENDERER": "true",
    "typeof FEATURE_SOUND": "true",
    "typeof WEBGL_DEBUG": "false",
    "typeof PLUGIN_CAMERA3D": "false",
    "typeof PLUGIN_FBINSTANT": "false",
    // Phaser's sources end with `global.Phaser = Phaser`, which webpack resolves.
    global: "globalThis",
  },
};

export default defineConfig(({ command }) => ({
  root: "client",
  define: {
    // The dev server proxies the game under /colyseus; a built client talks to its own origin.
    __GAME_PATH__: JSON.stringify(command === "serve" ? "/colyseus" : ""),
    ...(command === "build" ? phaserWithoutPhysics.define : {}),
  },
  resolve: command === "build" ? { alias: phaserWithoutPhysics.alias } : {},
  plugins: [precompress()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    // Phaser alone is about 1.2 MB minified; a chunk bigger than that is worth a look.
    chunkSizeWarningLimit: 1300,
    rolldownOptions: {
      output: {
        // Phaser, and the Colyseus SDK with its decoder and codec, each in a chunk of its own:
        // they change only with their versions, so a new build of the game leaves them cached in
        // the browser (their hashed names stay the same). The SDK is most of what the menu needs
        // before it works (see docs/web.md); Phaser loads behind the menu.
        codeSplitting: {
          groups: [
            { name: "phaser", test: /[\\/]node_modules[\\/]phaser[\\/]/ },
            { name: "colyseus", test: /[\\/]node_modules[\\/](@colyseus|msgpackr)[\\/]/ },
          ],
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
