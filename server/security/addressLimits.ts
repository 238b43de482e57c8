/** Open connections per address, under a cap (0 = no cap). */
export class AddressCounter {
  private readonly limit: number;
  private readonly counts = new Map<string, number>();

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Counts one more connection from `address`; false (and not counted) when it would pass the cap. */
  open(address: string): boolean {
    const count = this.counts.get(address) ?? 0;
    if (this.limit > 0 && count >= this.limit) return false;
    this.counts.set(address, count + 1);
    return true;
  }

  close(address: string): void {
    const count = (this.counts.get(address) ?? 0) - 1;
    if (count > 0) this.counts.set(address, count);
    else this.counts.delete(address);
  }
}
