/**
 * Following a room that moves to a server process at another address (a
 * deploy on Kubernetes, a scale-down), with nothing but `@colyseus/sdk` and
 * `fetch`: the lines another client needs (docs/contract.md, "Moves
 * anywhere"). When the server says `roomMoving`, ask the matchmaker (at the
 * address everything else goes through) where the seat is now, with the
 * room's reconnection token, and point the SDK's own reconnection there: it
 * reconnects after the 4010 close that follows, to the same room and session.
 *
 *   npm run example:follow -- http://localhost:2567
 * then drain the process holding the room (SIGTERM, or POST /api/admin/drain).
 */
import { Client, type Room } from "@colyseus/sdk";

const endpoint = process.argv[2] ?? "http://localhost:2567";

/** The lines a client adds: on `roomMoving`, find the seat through the matchmaker and aim the reconnection at it. */
function followMoves(room: Room, matchmaker: string): void {
  room.onMessage("roomMoving", async () => {
    const [roomId, reconnectionToken] = room.reconnectionToken.split(":");
    const response = await fetch(`${matchmaker}/matchmake/reconnect/${roomId}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reconnectionToken }),
    });
    if (!response.ok) return; // the SDK goes on trying the old address (a successor sharing the port answers there)
    const seat = await response.json() as { processId: string; roomId: string; publicAddress?: string };
    // The SDK reconnects to the URL of `room.connection` (not typed in its public API): the address changes, the query stays.
    const connection = room.connection as unknown as { url: string };
    const url = new URL(connection.url);
    const address = seat.publicAddress ?? new URL(matchmaker).host;
    connection.url = `${url.protocol}//${address}/${seat.processId}/${seat.roomId}${url.search}`;
  });
}

const token = (await (await fetch(`${endpoint}/auth/guest`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Follower" }),
})).json() as { token: string }).token;
const client = new Client(endpoint);
client.auth.token = token;
const room = await client.joinOrCreate("arena", { name: "Follower" });
room.reconnection.minUptime = 0; // reconnect even if the move comes in the first 5 s
followMoves(room, endpoint);
room.onMessage("*", () => {});
room.onDrop((code) => console.log(`dropped (${code}): the room is moving`));
room.onReconnect(() => console.log(`back in room ${room.roomId} as ${room.sessionId}, at ${(room.connection as unknown as { url: string }).url.split("?")[0]}`));
room.onLeave((code) => console.log(`left (${code})`));
console.log(`in room ${room.roomId} as ${room.sessionId}; drain its process to see the room move (Ctrl-C to stop)`);
