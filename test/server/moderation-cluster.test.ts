/**
 * Moderation across two real server processes on one Redis (the file's own)
 * and one PostgreSQL database: a ban made through either process reaches
 * the other at once; a chat mute stays on a player whose room moves.
 */
import { Client } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientMessage, KickCode, ROOM_NAME, ServerMessage, type ArenaView } from "../../shared/protocol.ts";
import { freePort } from "../../testkit/serverProcess.ts";
import { startCluster, type Cluster, type ClusterMember } from "../helpers/cluster.ts";
import { pastMinUptime, reconnectionOf, useMovingProcesses } from "../helpers/movingProcesses.ts";
import { ownRedisAvailable, startOwnRedis, type OwnRedis } from "../helpers/ownRedis.ts";
import { ADMIN_PASSWORD, adminCall } from "../helpers/admin.ts";
import { call, newProfile, profileToken } from "../helpers/playerApi.ts";
import { postgresAvailable } from "../helpers/postgres.ts";
import { nextMessage, type ArenaClientRoom } from "../helpers/server.ts";


describe.skipIf(!ownRedisAvailable)("moderation on two processes", () => {
  let ownRedis: OwnRedis;
  let cluster: Cluster;

  beforeAll(async () => {
    ownRedis = await startOwnRedis();
    cluster = await startCluster(2, ownRedis.url, { ADMIN_PASSWORD });
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await ownRedis?.close();
  }, 30_000);

  /** A new room for the holder of `token`, made through `member`, and the process it went to. */
  async function seat(member: ClusterMember, token: string) {
    let address = "";
    const sdk = new Client(member.url, { urlBuilder: (url) => { address = url.host; return url.toString(); } });
    sdk.auth.token = token;
    const room = await sdk.create<ArenaView>(ROOM_NAME, {}) as ArenaClientRoom;
    room.onMessage("*", () => {});
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    return { room, left, holder: cluster.members.find((candidate) => candidate.address === address)! };
  }

  it("a ban through one process refuses the player on the other and takes it out of its match there", async () => {
    const [first] = cluster.members;
    const profile = await newProfile(first!.url, "Spammer");
    const token = await profileToken(first!.url, profile.secret);
    const { left, holder } = await seat(first!, token);
    const other = cluster.members.find((member) => member !== holder)!;

    const ban = await adminCall(other.url, "POST", "/api/admin/bans", { profileId: profile.id, minutes: 30, reason: "chat spam" });
    expect(ban.status).toBe(201);
    expect(await left).toBe(KickCode.removed);

    for (const member of cluster.members) {
      const answer = await call(member.url, "POST", "/auth/guest", { json: { profile: profile.secret } });
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatch(/^banned until .* UTC: chat spam$/);
      await expect(seat(member, token)).rejects.toThrow(/chat spam/);
    }
    const audit = await adminCall(holder.url, "GET", "/api/admin/audit");
    expect(audit.body.entries[0]).toMatchObject({ action: "ban", targetProfile: profile.id });
  }, 60_000);
});

describe.skipIf(!ownRedisAvailable || !postgresAvailable)("a chat mute when the room moves", () => {
  const { startAt, seat } = useMovingProcesses();

  it("stays on the player after its room moves to the successor process", async () => {
    const port = await freePort();
    const env = { ADMIN_PASSWORD, MIN_PLAYERS: "0" };
    const a = await startAt(port, env);
    const ann = await seat(a.url, "create", { name: "Ann" });
    ann.room.onMessage("*", () => {});
    const muted = await adminCall(a.url, "POST", "/api/admin/actions", { action: "mute", roomId: ann.room.roomId, sessionId: ann.room.sessionId, minutes: 15, reason: "spam" });
    expect(muted.status).toBe(200);
    await pastMinUptime(ann.room);

    const moved = reconnectionOf(ann.room);
    await startAt(port, env);
    a.child.kill("SIGTERM");
    await moved;
    const refused = nextMessage<{ reason: string }>(ann.room, ServerMessage.chatRejected, 10_000);
    ann.room.send(ClientMessage.chat, { text: "I moved, can you hear me now" });
    expect((await refused).reason).toMatch(/^you are muted in chat until /);
  }, 60_000);
});
