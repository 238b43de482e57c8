import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.ts";

describe("HTTP routes", () => {
  describe("GET /healthz", () => {
    const server = useTestServer();

    it("answers 200 JSON with ok: true", async () => {
      const response = await fetch(`${server().url}/healthz`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await response.json()) as { ok?: unknown };
      expect(body.ok).toBe(true);
    });

    it("counts rooms and players", async () => {
      await server().connect("Ann");
      await server().connect("Bob");
      const body = (await (await fetch(`${server().url}/healthz`)).json()) as { rooms?: unknown; players?: unknown };
      expect(body).toMatchObject({ rooms: 1, players: 2 });
    });
  });
});
