import { z } from "zod";

/**
 * The payload of every message type a client may send (`ClientMessage` in
 * shared/protocol.ts), as Standard Schemas. Shape only: what a payload means
 * (a chat line's length, the chat rate) is the handler's business and has
 * its own answers (`chatRejected`).
 */

/** `chat`: `{ text }`. Extra keys are refused, so a client cannot smuggle anything through. */
export const chatMessage = z.strictObject({ text: z.string() });

/** `takeSeat`: no payload. */
export const takeSeatMessage = z.union([z.undefined(), z.null()]);
