/** Whole seconds as a match clock, "m:ss" (negative and fractional seconds floor to whole ones, never below 0:00). */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
