import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROJECTILE_RADIUS } from "../../shared/constants.ts";
import { EntryList } from "../../shared/entryList.ts";
import { segmentHitsWall } from "../../shared/geometry.ts";
import { largeMap } from "../../shared/largeMap.ts";
import { clearLine } from "../../shared/lineOfSight.ts";
import { ARENA_MAP, type ArenaMap } from "../../shared/map.ts";

/** Line of sight as it was before the regions: every wall tried. */
function everyWallClear(map: ArenaMap, from: { x: number; y: number }, to: { x: number; y: number }): boolean {
  return map.walls.every((wall) => !segmentHitsWall(from.x, from.y, to.x - from.x, to.y - from.y, PROJECTILE_RADIUS, wall));
}

describe("line of sight filed by regions (shared/lineOfSight.ts)", () => {
  for (const [name, map] of [["the arena", ARENA_MAP], ["a large map", largeMap(7)]] as const) {
    it(`answers as trying every wall does, on ${name}`, () => {
      // Anywhere on the map, to a sixteenth of a unit (fast-check's doubles crowd at the bounds).
      const at = (size: number) => fc.integer({ min: 0, max: size * 16 }).map((sixteenths) => sixteenths / 16);
      const point = fc.record({ x: at(map.width), y: at(map.height) });
      let blocked = 0;
      fc.assert(fc.property(point, point, (from, to) => {
        const clear = clearLine(map.walls, from, to);
        if (!clear) blocked++;
        expect(clear).toBe(everyWallClear(map, from, to));
      }), { numRuns: 2000 });
      // The draw reached both answers: a wall stood in the way of many lines.
      expect(blocked).toBeGreaterThan(100);
    });
  }
});

describe("a Map's entries listed for the walks of a tick (shared/entryList.ts)", () => {
  it("walks them in the Map's order, as last listed, and shrinks with the Map", () => {
    const source = new Map([["a", 1], ["b", 2], ["c", 3]]);
    const list = new EntryList<number>();
    list.relist(source);
    const walked: string[] = [];
    list.forEach((value, id) => walked.push(`${id}=${value}`));
    expect(walked).toEqual(["a=1", "b=2", "c=3"]);

    source.delete("a");
    source.set("d", 4);
    // Until listed again, the walk is the listing's; `get` reads the Map as it is now.
    expect(list.values).toEqual([1, 2, 3]);
    expect(list.get("d")).toBe(4);
    list.relist(source);
    expect(list.ids).toEqual(["b", "c", "d"]);
    source.clear();
    source.set("e", 5);
    list.relist(source);
    expect([list.ids, list.values]).toEqual([["e"], [5]]);
  });
});
