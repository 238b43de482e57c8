import { describe, expect, it } from "vitest";
import { describeLeave } from "../../client/net/errors.ts";
import { KickCode } from "../../shared/protocol.ts";

describe("why a game connection ended, in the player's words", () => {
  it("says a moderator took the player out, with the server's reason and the ban's end", () => {
    expect(describeLeave(KickCode.removed, "banned until 2026-12-08 09:30 UTC: spam"))
      .toBe("A moderator took you out of the game (banned until 2026-12-08 09:30 UTC: spam).");
    expect(describeLeave(KickCode.removed, "kicked: griefing")).toBe("A moderator took you out of the game (kicked: griefing).");
  });
});
