/**
 * Zips for tests, honest or hostile: fflate writes a well-formed zip, and `patchEntry` rewrites
 * one entry's fields in its local and central headers (a lying size, another name, a method, the
 * encryption flag) the way a hostile archiver would.
 */
import { strToU8, zipSync, type Zippable } from "fflate";

export function makeZip(files: Record<string, string | Uint8Array>, level: 0 | 6 | 9 = 6): Buffer {
  const entries: Zippable = {};
  for (const [name, data] of Object.entries(files))
    entries[name] = [typeof data === "string" ? strToU8(data) : data, { level }];
  return Buffer.from(zipSync(entries));
}

/** Rewrites the entry called `name` in both headers; `rename` must keep the name's byte length. */
export function patchEntry(
  zip: Buffer,
  name: string,
  patch: { size?: number; method?: number; flags?: number; rename?: string },
): Buffer {
  const out = Buffer.from(zip);
  const target = Buffer.from(name);
  let patched = 0;
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    const central = sig === 0x02014b50;
    if (!central && sig !== 0x04034b50) continue;
    const nameAt = central ? i + 46 : i + 30;
    const nameLen = out.readUInt16LE(central ? i + 28 : i + 26);
    if (nameLen !== target.length || !out.subarray(nameAt, nameAt + nameLen).equals(target)) continue;
    const base = central ? i + 2 : i; // central headers have "version made by" first
    if (patch.flags !== undefined) out.writeUInt16LE(patch.flags, base + 6);
    if (patch.method !== undefined) out.writeUInt16LE(patch.method, base + 8);
    if (patch.size !== undefined) out.writeUInt32LE(patch.size, base + 22);
    if (patch.rename !== undefined) Buffer.from(patch.rename).copy(out, nameAt);
    patched++;
  }
  if (patched !== 2) throw new Error(`patched ${patched} headers of ${name}, expected 2`);
  return out;
}
