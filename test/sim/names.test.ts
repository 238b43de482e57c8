import { describe, expect, it } from "vitest";
import { NAME_MAX_LENGTH } from "../../shared/constants.ts";
import { cleanName, generatedName } from "../../shared/names.ts";

describe("names", () => {
  describe("cleanName", () => {
    it.each([
      ["Ann", "Ann"],
      ["  Ann  ", "Ann"],
      ["\tAnn\n", "Ann"],
      ["Zoë", "Zoë"],
      ["Łukasz Żółw", "Łukasz Żółw"],
      ["山田", "山田"],
      ["🦊", "🦊"],
      ["Ann the 2nd!", "Ann the 2nd!"],
      ["a".repeat(NAME_MAX_LENGTH), "a".repeat(NAME_MAX_LENGTH)],
      [` ${"b".repeat(NAME_MAX_LENGTH)} `, "b".repeat(NAME_MAX_LENGTH)],
    ])("accepts %j as %j", (requested, expected) => {
      expect(cleanName(requested)).toBe(expected);
    });

    it("counts characters by code point, so 16 emoji fit and 17 do not", () => {
      const fox = "🦊";
      expect(fox.length).toBe(2);
      expect(cleanName(fox.repeat(NAME_MAX_LENGTH))).toBe(fox.repeat(NAME_MAX_LENGTH));
      expect(cleanName(fox.repeat(NAME_MAX_LENGTH + 1))).toBeUndefined();
    });

    it.each([
      ["empty", ""],
      ["only spaces", "    "],
      ["too long", "a".repeat(NAME_MAX_LENGTH + 1)],
      ["a newline inside", "Ann\nBob"],
      ["a carriage return inside", "Ann\rBob"],
      ["a tab inside", "Ann\tBob"],
      ["a NUL", "Ann\u0000"],
      ["a bell", "A\u0007nn"],
      ["an escape sequence", "\u001b[31mAnn"],
      ["DEL", "Ann\u007f"],
      ["a C1 control", "Ann\u0085Bob"],
      ["a line separator", "Ann\u2028Bob"],
      ["a paragraph separator", "Ann\u2029Bob"],
      ["a zero-width space", "Ann\u200bBob"],
      ["a right-to-left override", "\u202eAnn"],
    ])("rejects a name with %s", (_label, requested) => {
      expect(cleanName(requested)).toBeUndefined();
    });

    it.each([
      ["a number", 42], ["null", null], ["undefined", undefined], ["an object", { name: "Ann" }],
      ["an array", ["Ann"]], ["a boolean", true], ["a String object", new String("Ann")],
    ])("rejects %s", (_label, requested) => {
      expect(cleanName(requested)).toBeUndefined();
    });
  });

  describe("generatedName", () => {
    it("is deterministic in its seed", () => {
      for (let seed = 0; seed < 50; seed++) expect(generatedName(seed)).toBe(generatedName(seed));
    });

    it("reads as adjective, animal, number, and is a name cleanName accepts as it is", () => {
      for (let seed = 0; seed < 500; seed++) {
        const name = generatedName(seed * 7919);
        expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [1-9]\d$/);
        expect([...name].length).toBeLessThanOrEqual(NAME_MAX_LENGTH);
        expect(cleanName(name)).toBe(name);
      }
    });

    it("differs from seed to seed", () => {
      const names = new Set(Array.from({ length: 200 }, (_, seed) => generatedName(seed)));
      expect(names.size).toBeGreaterThan(150);
    });
  });
});
