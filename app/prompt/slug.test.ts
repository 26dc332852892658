import { describe, expect, it } from "vitest";
import { MAX_SLUG_LENGTH, slugify, slugWords } from "./slug";
import { xmlTagFor } from "./targets";

describe("slugify", () => {
  it("lower-cases words and joins them with single hyphens, none at the ends", () => {
    expect(slugify("Customer Support Reply")).toBe("customer-support-reply");
    expect(slugify("  --Hello,   World!--  ")).toBe("hello-world");
    expect(slugify("v2.1 / QA: (draft) #3")).toBe("v2-1-qa-draft-3");
  });

  it("drops accents and leaves out what has no ASCII form", () => {
    expect(slugify("Café crème brûlée")).toBe("cafe-creme-brulee");
    expect(slugify("Ångström naïve résumé")).toBe("angstrom-naive-resume");
    expect(slugify("ﬁle №5")).toBe("file-no5");
    expect(slugify("日本語 prompt 🚀")).toBe("prompt");
    expect(slugify("Übersicht 日本語")).toBe("ubersicht");
  });

  it('falls back to "prompt" when nothing is left', () => {
    expect(slugify("")).toBe("prompt");
    expect(slugify("   ")).toBe("prompt");
    expect(slugify("!!!")).toBe("prompt");
    expect(slugify("日本語")).toBe("prompt");
  });

  it(`is at most ${MAX_SLUG_LENGTH} characters and does not end in a hyphen after cutting`, () => {
    expect(slugify("a".repeat(100))).toBe("a".repeat(MAX_SLUG_LENGTH));
    const cutAtSeparator = slugify(`${"a".repeat(MAX_SLUG_LENGTH - 1)} bcd`);
    expect(cutAtSeparator).toBe("a".repeat(MAX_SLUG_LENGTH - 1));
    for (const name of ["word ".repeat(30), "é-".repeat(50), "x".repeat(59) + "!!y"]) {
      const s = slugify(name);
      expect(s.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
      expect(s).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

describe("slugWords", () => {
  it("uses the separator it is given and may be empty", () => {
    expect(slugWords("Output format (JSON)", "_")).toBe("output_format_json");
    expect(slugWords("¿?", "_")).toBe("");
  });

  it("is the rule behind custom sections' XML tags", () => {
    expect(xmlTagFor({ kind: "custom", title: "Style Guide — v2" })).toBe("style_guide_v2");
    expect(xmlTagFor({ kind: "custom", title: "3 rules" })).toBe("section_3_rules");
    expect(xmlTagFor({ kind: "custom", title: "日本語" })).toBe("section");
  });
});
