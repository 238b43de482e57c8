// Part of the one seam module, server/colyseusSeams.ts, which re-exports it.
import { Metadata } from "@colyseus/schema";
import { SEAMS } from "./names.ts";

/** Where @colyseus/schema lists a class's unreliable fields, and caches what its encoder derived from the metadata. */
const UNRELIABLE_FIELD_INDEXES = "~__unreliableFieldIndexes";
const ENCODE_DESCRIPTOR = "~__encodeDescriptor";

interface FieldMetadata {
  type: unknown;
  unreliable?: boolean;
}

/**
 * Seam: quantized fields on the unreliable channel. `.unreliable()` refuses
 * every field whose type is not a primitive's name, to keep a reference
 * (a child schema, a collection) off a channel that may lose its ADD; a
 * `t.quantized` field is a number on the wire, but its type is a descriptor
 * object, so it is refused too. This marks `fields` of `schemaClass`
 * unreliable the way `Metadata.setUnreliable` does (the field's `unreliable`
 * flag and the class's list of unreliable field indexes, which the encoder
 * and Colyseus' serializer read). Call right after `schema()`, before any
 * instance exists: the encoder derives its per-class descriptor from the
 * metadata once. Throws naming the seam if the metadata is not laid out so,
 * or if a field is a reference.
 */
export function unreliableQuantized(schemaClass: object, fields: readonly string[]): void {
  const metadata = (schemaClass as Record<symbol, Record<string | number, unknown> | undefined>)[Symbol.metadata];
  const moved = () => new Error(`Colyseus seam moved: ${SEAMS.unreliableFields}`);
  if (!metadata || typeof Metadata.hasUnreliableAtIndex !== "function" || Object.hasOwn(schemaClass, ENCODE_DESCRIPTOR)) throw moved();
  for (const field of fields) {
    const index = metadata[field];
    const entry = typeof index === "number" ? (metadata[index] as FieldMetadata | undefined) : undefined;
    const type = entry?.type as { quantized?: unknown } | undefined;
    if (!entry || typeof type !== "object" || type === null || type.quantized === undefined) {
      throw new Error(`${field} is not a quantized number field: ${SEAMS.unreliableFields}`);
    }
    entry.unreliable = true;
    if (!Object.hasOwn(metadata, UNRELIABLE_FIELD_INDEXES)) {
      Object.defineProperty(metadata, UNRELIABLE_FIELD_INDEXES, { value: [], enumerable: false, configurable: true, writable: true });
    }
    (metadata[UNRELIABLE_FIELD_INDEXES] as number[]).push(index as number);
    if (!Metadata.hasUnreliableAtIndex(metadata as never, index as number)) throw moved();
  }
}
