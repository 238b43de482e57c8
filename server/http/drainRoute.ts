import express from "express";
import * as v from "valibot";
import type { AdminAuth } from "../security/admin.ts";
import type { DrainRequests } from "../migration/drainRequests.ts";

const drainRequest = v.object({ processId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))) });

/**
 * `POST /api/admin/drain` `{ processId? }` behind the admin's Basic auth:
 * drains process `processId` of the cluster (the one answering when absent),
 * as SIGTERM would: its rooms move to the other processes mid-match and it
 * exits once they have. Answers 202 `{ draining: processId, address }`, 404
 * `{ error }` for a process the cluster does not know, 400 for a bad body.
 * `GET /healthz` lists nothing about it: the process says 503 while it drains.
 */
export function mountDrainRoute(app: express.Application, admin: AdminAuth, drains: DrainRequests): void {
  app.post("/api/admin/drain", admin.check, express.json({ limit: "1kb" }), async (req, res) => {
    const parsed = v.safeParse(drainRequest, req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: "Send { processId? } with a process id from /healthz or the monitor." });
      return;
    }
    const answer = await drains.request(parsed.output.processId);
    if (!answer) {
      res.status(404).json({ error: `No live process ${JSON.stringify(parsed.output.processId)} in this cluster.` });
      return;
    }
    res.status(202).json({ draining: answer.processId, address: answer.address });
  });
}
