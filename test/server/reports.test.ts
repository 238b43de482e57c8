import { Client } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientMessage, ROOM_NAME, ServerMessage, type ArenaView } from "../../shared/protocol.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { rerunReplay } from "../../shared/replayRun.ts";
import { ADMIN_PASSWORD, adminCall } from "../helpers/admin.ts";
import { newProfile, profileToken } from "../helpers/playerApi.ts";
import { nextMessage, playerIn, startTestServer, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";


describe("players' reports", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ security: { adminPassword: ADMIN_PASSWORD }, matchSeconds: 2, scoreboardSeconds: 1 });
  });

  afterAll(async () => {
    await server.close();
  });

  async function player(name: string) {
    const profile = await newProfile(server.url, name);
    const sdk = new Client(server.url);
    sdk.auth.token = await profileToken(server.url, profile.secret, name);
    return { profile, sdk };
  }

  it("keeps the reporter, the reported profile, the match, the chat around it and the time; the match's replay plays", async () => {
    const ann = await player("Ann");
    const bob = await player("Bob");
    const annRoom = await ann.sdk.create<ArenaView>(ROOM_NAME, {}) as ArenaClientRoom;
    const bobRoom = await bob.sdk.joinById<ArenaView>(annRoom.roomId, {}) as ArenaClientRoom;
    for (const room of [annRoom, bobRoom]) room.onMessage("*", () => {});
    await waitFor(() => playerIn(annRoom, bobRoom.sessionId) !== undefined && annRoom.state.phase === "playing", { timeoutMs: 10_000, message: "a match with Bob in it" });
    const heard = nextMessage<{ from: string }>(annRoom, ServerMessage.chat, 5000);
    bobRoom.send(ClientMessage.chat, { text: "you are all terrible" });
    await heard;

    const before = Date.now();
    const thanked = nextMessage<{ text: string }>(annRoom, ServerMessage.notice, 5000);
    annRoom.send(ClientMessage.report, { sessionId: bobRoom.sessionId, reason: "insults in chat" });
    expect((await thanked).text).toBe("Thank you: Bob is reported to the moderators.");

    const [report] = (await adminCall(server.url, "GET", "/api/admin/reports")).body.reports;
    expect(report).toMatchObject({
      reporterProfile: ann.profile.id, reporterName: "Ann", reportedProfile: bob.profile.id, reportedName: "Bob", reportedAddress: "127.0.0.1",
      roomId: annRoom.roomId, sessionId: bobRoom.sessionId, reason: "insults in chat", resolvedAt: null,
    });
    expect(report.at).toBeGreaterThanOrEqual(before);
    expect(report.chat).toContainEqual(expect.objectContaining({ from: "Bob", text: "you are all terrible" }));
    expect(report.replayUrl).toBe(`/api/replays/${report.matchId}`);

    let replay: Response | undefined;
    await waitFor(async () => (replay = await fetch(`${server.url}${report.replayUrl}`)).ok, { timeoutMs: 20_000, message: "the reported match's recording" });
    const recording = decodeReplay(new Uint8Array(await replay!.arrayBuffer()));
    expect(recording.header).toMatchObject({ complete: true, roomId: annRoom.roomId });
    expect(rerunReplay(recording).matches).toBe(true);

    expect((await adminCall(server.url, "POST", `/api/admin/reports/${report.id}/resolve`, { reason: "warned" })).body).toEqual({ resolved: true });
    await Promise.all([annRoom.leave(), bobRoom.leave()]);
  }, 40_000);

  it("refuses a report on oneself or on nobody, with a word to the reporter", async () => {
    const ann = await player("Solo");
    const room = await ann.sdk.create<ArenaView>(ROOM_NAME, {}) as ArenaClientRoom;
    room.onMessage("*", () => {});
    const answer = nextMessage<{ text: string }>(room, ServerMessage.notice, 5000);
    room.send(ClientMessage.report, { sessionId: room.sessionId, reason: "me" });
    expect((await answer).text).toBe("That player cannot be reported.");
    await room.leave();
  });
});
