import type { Room } from "@colyseus/sdk";
import { describeLeave } from "./errors.ts";
import { savedSeat } from "./joining.ts";
import type { RoomNotices } from "./notices.ts";
import { configureReconnection } from "./reconnection.ts";

/** Where the connection stands, for the HUD to put in words. */
export type ConnectionStatus = "connected" | "reconnecting" | "closed";

/**
 * Where one room's connection stands, kept from the room's events: up,
 * dropped and being taken back by the SDK, or closed and why. While the seat
 * is held its newest reconnection token is saved, so a reload can resume it;
 * once the connection closes, the token is cleared.
 */
export class RoomConnection {
  status: ConnectionStatus = "connected";
  /** Why the connection closed, in words, when `status` is "closed". */
  closedReason = "";
  /** The close code, when `status` is "closed". */
  closedCode: number | undefined;
  #leaving = false;

  /** `onReconnect` runs each time the SDK has the connection back (a new connection, with its own input numbering). */
  constructor(room: Room, notices: RoomNotices, onReconnect: () => void) {
    configureReconnection(room);
    savedSeat.write(room.reconnectionToken);
    room.onDrop(() => { this.status = "reconnecting"; });
    room.onReconnect(() => {
      this.status = "connected";
      // The token changes with every connection; keep the newest for a reload.
      savedSeat.write(room.reconnectionToken);
      onReconnect();
    });
    room.onLeave((code, reason) => {
      this.status = "closed";
      this.closedCode = code;
      savedSeat.clear();
      this.closedReason = this.#leaving ? "You left the game." : describeLeave(code, reason);
    });
    room.onError((code, message) => {
      // Failed reconnection attempts report here too; the overlay already counts them.
      if (this.status !== "connected") return;
      notices.push("system", `Server error${code === undefined ? "" : ` ${code}`}${message ? `: ${message}` : ""}`);
    });
  }

  /** The player is leaving on purpose: the close is put in words as that, not as what the server said. */
  markLeaving(): void {
    this.#leaving = true;
  }
}
