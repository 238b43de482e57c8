import * as v from "valibot";

/**
 * The payload of every message type a client may send (`ClientMessage` in
 * shared/protocol.ts), as Standard Schemas. Shape only: what a payload means
 * (a chat line's length, the chat rate) is the handler's business and has
 * its own answers (`chatRejected`).
 */

/** `chat`: `{ text }`. Extra keys are refused, so a client cannot smuggle anything through. */
export const chatMessage = v.strictObject({ text: v.string() });

/** `takeSeat`: no payload. */
export const takeSeatMessage = v.union([v.undefined(), v.null()]);

/** `report`: `{ sessionId, reason }`, the reported player's session and a few words on why. */
export const reportMessage = v.strictObject({ sessionId: v.pipe(v.string(), v.maxLength(64)), reason: v.pipe(v.string(), v.maxLength(200)) });
