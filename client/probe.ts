/**
 * What the game scene last drew, published on `window.arenaProbe` every frame:
 * the browser tests read it, and it is handy in the console.
 */
export interface RenderProbe {
  sessionId: string;
  /** Where the own player was drawn (world units), if alive. */
  me?: { x: number; y: number };
  playersDrawn: number;
  pingMs: number;
  pendingInputs: number;
  /** The connection: "connected", "reconnecting" or "closed". */
  status: string;
  /** Why the connection closed, as the player is told. */
  closedReason: string;
}

declare global {
  interface Window {
    arenaProbe?: RenderProbe;
  }
}
