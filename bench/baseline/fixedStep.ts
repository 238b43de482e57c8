/**
 * Calls `step` `tickHz` times a second on average, catching up at most 5
 * steps after a stall (as Colyseus' fixed step does); the baselines' clock.
 */
export function fixedStep(step: () => void, tickHz: number): { stop(): void } {
  const stepMs = 1000 / tickHz;
  let last = performance.now();
  let owed = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    owed += now - last;
    last = now;
    let ran = 0;
    while (owed >= stepMs && ran < 5) {
      owed -= stepMs;
      step();
      ran++;
    }
    if (ran === 5) owed = 0;
  }, stepMs);
  return { stop: () => clearInterval(timer) };
}
