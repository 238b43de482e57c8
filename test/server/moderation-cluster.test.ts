/**
 * Moderation across two real server processes on one Redis (the file's own)
 * and one PostgreSQL database: a ban made through either process reaches
 * the other at once.
 */
import { Client } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KickCode, ROOM_NAME, type ArenaView } from "../../shared/protocol.ts";
import { startCluster, type Cluster, type ClusterMember } from "../helpers/cluster.ts";
import { ownRedisAvailable, startOwnRedis, type OwnRedis } from "../helpers/ownRedis.ts";
import { call, newProfile, profileToken } from "../helpers/playerApi.ts";
import type { ArenaClientRoom } from "../helpers/server.ts";

const PASSWORD = "correct horse battery";
const BASIC = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`;

describe.skipIf(!ownRedisAvailable)("moderation on two processes", () => {
  let ownRedis: OwnRedis;
  let cluster: Cluster;

  beforeAll(async () => {
    ownRedis = await startOwnRedis();
    cluster = await startCluster(2, ownRedis.url, { ADMIN_PASSWORD: PASSWORD });
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

    const ban = await fetch(`${other.url}/api/admin/bans`, {
      method: "POST", headers: { authorization: BASIC, "content-type": "application/json" },
      body: JSON.stringify({ profileId: profile.id, minutes: 30, reason: "chat spam" }),
    });
    expect(ban.status).toBe(201);
    expect(await left).toBe(KickCode.removed);

    for (const member of cluster.members) {
      const answer = await call(member.url, "POST", "/auth/guest", { json: { profile: profile.secret } });
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatch(/^banned until .* UTC: chat spam$/);
      await expect(seat(member, token)).rejects.toThrow(/chat spam/);
    }
    const audit = await fetch(`${holder.url}/api/admin/audit`, { headers: { authorization: BASIC } });
    expect((await audit.json() as { entries: Array<{ action: string; targetProfile: string }> }).entries[0]).toMatchObject({ action: "ban", targetProfile: profile.id });
  }, 60_000);
});
