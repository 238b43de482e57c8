import { describe, expect, it } from "vitest";
import { FadeBook } from "../../client/view/fades.ts";

const frame = (...ids: string[]) => new Map(ids.map((id) => [id, { x: id.length }]));

describe("fading in and out of the state", () => {
  it("starts a new thing transparent and fades it in; a known one starts nothing", () => {
    const book = new FadeBook<{ x: number }>();
    const first = book.sync(frame("a"));
    expect(first.entered.map((entry) => [entry.id, entry.alpha])).toEqual([["a", 0]]);
    expect(book.alpha("a")).toBe(0);
    first.entered[0].alpha = 1;
    expect(book.sync(frame("a"))).toEqual({ entered: [], left: [] });
    expect(book.alpha("a")).toBe(1);
  });

  it("keeps a thing that left, at its last look, until its fade-out ends: then it is gone (no ghost)", () => {
    const book = new FadeBook<{ x: number }>();
    book.sync(frame("a", "bb"));
    const { left } = book.sync(frame("a"));
    expect(left.map((entry) => [entry.id, entry.last])).toEqual([["bb", { x: 2 }]]);
    expect([...book.leaving()].map((entry) => entry.id)).toEqual(["bb"]);
    // Still missing next frame: no second fade-out.
    expect(book.sync(frame("a")).left).toEqual([]);
    expect(book.forget(left[0])).toBe(true);
    expect([...book.leaving()]).toEqual([]);
    expect(book.size).toBe(1);
  });

  it("takes back a thing that returns while it fades out, from the opacity it had, and its old fade then forgets nothing", () => {
    const book = new FadeBook<{ x: number }>();
    book.sync(frame("a"));
    const [gone] = book.sync(frame()).left;
    gone.alpha = 0.4;
    const { entered } = book.sync(frame("a"));
    expect(entered).toEqual([gone]);
    expect(entered[0].alpha).toBe(0.4);
    expect(entered[0].leaving).toBe(false);
    // The fade-out's end arrives late (its tween was stopped a frame too late): the thing stays.
    expect(book.forget(gone)).toBe(false);
    expect(book.alpha("a")).toBe(0.4);
  });

  it("says a thing it never saw is fully drawn", () => {
    expect(new FadeBook().alpha("never")).toBe(1);
  });
});
