// Part of the one seam module, server/colyseusSeams.ts, which re-exports it.

/** The seam names, as the test and its failure messages use them. */
export const SEAMS = {
  frameScreening: "frame screening (Room.prototype._onMessage)",
  stepDrivenPatches: "step-driven patches (the patchRate setter's timer, which calls Room.broadcastPatch)",
  patchByteCounting: "patch byte counting (Client.raw)",
  noPm2Metrics: "no PM2 metrics (@colyseus/core's import of @pm2/io)",
  tickWrites: "one write per client per tick (the ws-transport client's ref, ws' _socket)",
  httpScreening: "HTTP screening (the HTTP server's emit, ahead of Colyseus' prepended request listener)",
  movedSeats: "moved seats (Room._reserveSeat, _reservedSeats, _reconnections)",
  refIds: "reference ids kept ($refId, the encoder root's nextUniqueId)",
  unreliableRoute: "unreliable route (Client.rawUnreliable, which the serializer feature-detects)",
  unreliableFields: "quantized fields on the unreliable channel (schema's field metadata `unreliable` and `~__unreliableFieldIndexes`)",
  interestViews: "interest views (the serializer's encoder.encodeView and encodeUnreliableView per client view, StateView.isChangeTreeVisible and changes, MapSchema's $filter and its cached encode descriptor)",
  datagramDelivery: "datagram delivery (the \"message\" event on a ws-transport client's ref, bound to Room._onMessage at join)",
} as const;
