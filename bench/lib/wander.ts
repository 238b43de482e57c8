import type { InputHandle, Room } from "@colyseus/sdk";
import type { PlayerInput } from "../../shared/protocol.ts";

/**
 * One tick of the chaos runs' crowd: a bot wanders, turning about once a
 * second (3 % a tick), fires a fifth of the ticks, and sends its input.
 * `input` is the bot's own, kept between ticks; `random` is the run's seeded one;
 * `handle` the input channel it goes on (the room's default, reliable one unless given).
 */
export function sendWanderingInput(room: Room, input: PlayerInput, random: () => number,
  handle: InputHandle<PlayerInput> = room.input<PlayerInput>()): void {
  if (random() < 0.03) {
    const heading = random() * Math.PI * 2;
    input.moveX = Math.cos(heading);
    input.moveY = Math.sin(heading);
    input.aim = heading;
  }
  input.fire = random() < 0.2;
  Object.assign(handle.data, input);
  handle.send();
}
