/**
 * The server process's entry point (`npm start`, `npm run cluster`, the
 * benchmarks): turns on Node's compile cache, then runs `main.ts`.
 *
 * JavaScript rather than TypeScript on purpose: the cache must be on before
 * the first TypeScript file loads. With it warm, Node takes every module's
 * type-stripped source and compiled code from the cache and never loads its
 * TypeScript stripper, a WebAssembly compiler that otherwise stays resident
 * for the life of the process (about a fifth of an idle server's memory; see
 * docs/benchmarks.md, "Memory over time"). The first start after a change
 * fills the cache (Node's own folder under the system's temporary directory,
 * or NODE_COMPILE_CACHE); a cache it cannot use costs nothing but that saving.
 */
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("./main.ts");
