import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One production build of the client for the browser tests.
    globalSetup: ["test/helpers/build-client.ts"],
    // Each file boots its own server on a free port; files run in parallel processes.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
