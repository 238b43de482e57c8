import type { AddressInfo } from "node:net";
import { defineRoom, defineServer } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { ROOM_NAME } from "../../shared/protocol.ts";
import type { BaselineServer, BaselineServerOptions } from "./baselineServer.ts";
import type { PlainNumberType } from "./plainSchema.ts";
import { PlainSchemaRoom } from "./PlainSchemaRoom.ts";

/**
 * A Colyseus server with one room type, `"arena"`, played by `PlainSchemaRoom`
 * (baseline (c)); clients join it with `joinOrCreate("arena")` like Arena.
 * One per process: Colyseus' matchmaker is a process-wide singleton.
 */
export function createPlainSchemaServer(options: BaselineServerOptions & { numberType?: PlainNumberType }): BaselineServer {
  const transport = new WebSocketTransport();
  const quiet = () => {};
  const colyseus = defineServer({
    rooms: {
      [ROOM_NAME]: defineRoom(PlainSchemaRoom, {
        rules: options.rules, seed: options.seed, maxPlayers: options.maxPlayers, numberType: options.numberType,
      }),
    },
    transport,
    greet: false,
    logger: { debug: quiet, trace: quiet, info: quiet, warn: console.warn, error: console.error },
    gracefullyShutdown: false,
  });
  return {
    async listen() {
      await colyseus.listen(options.port, options.host);
      return (transport.server?.address() as AddressInfo).port;
    },
    async close() {
      await colyseus.gracefullyShutdown(false);
    },
  };
}
