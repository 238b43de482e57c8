/** Reading a process's view of the shared registry: its `/metrics` and its lobby. */
import { LOBBY_ROOM_NAME, type RoomListing } from "../../shared/protocol.ts";
import { sdkAt } from "./cluster.ts";

/** The unlabelled `arena_*` samples of a process's `/metrics`, by name (NaN where it says NaN). */
export async function scrape(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Object.fromEntries(text.split("\n").filter((line) => /^arena_\w+ /.test(line)).map((line) => {
    const [name, value] = line.split(" ");
    return [name, Number(value)];
  }));
}

/** The rooms a lobby joined through `url` lists on joining (its first full list), by room id. */
export async function listedInLobby(url: string): Promise<Map<string, RoomListing>> {
  const lobby = await (await sdkAt(url)).joinOrCreate(LOBBY_ROOM_NAME);
  try {
    return await new Promise<Map<string, RoomListing>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the lobby sent no list within 5 s")), 5000);
      lobby.onMessage("rooms", (list: Array<{ roomId: string; metadata: RoomListing }>) => {
        clearTimeout(timer);
        resolve(new Map(list.map(({ roomId, metadata }) => [roomId, metadata])));
      });
      lobby.onMessage("+", () => {});
      lobby.onMessage("-", () => {});
    });
  } finally {
    await lobby.leave().catch(() => undefined);
  }
}
