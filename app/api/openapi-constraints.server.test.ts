// The document states what the server enforces: whatever matches the document's patterns and
// rules, the server's own parsers accept.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PERIOD_LABEL_PATTERN, parsePeriodLabel } from "~/domain/period";
import { LetterPatchSchema } from "~/api/schemas/letters";
import { PersonPatchSchema, TeamPatchSchema } from "~/api/schemas/org";
import { IDEMPOTENCY_KEY_PATTERN } from "~/api/handler.server";
import { openApiDocument } from "./openapi.server";

const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema: { pattern?: string } }> }>>;
  components: { schemas: Record<string, { minProperties?: number }> };
};

describe("the OpenAPI document's constraints", () => {
  it("gives Idempotency-Key the pattern the server checks, on every POST that takes it", () => {
    const posts = Object.values(doc.paths).flatMap((item) => (item.post?.parameters ?? []).filter((p) => p.name === "Idempotency-Key"));
    expect(posts.length).toBeGreaterThan(5);
    for (const p of posts) expect(p.schema.pattern).toBe(IDEMPOTENCY_KEY_PATTERN);
  });

  it("accepts every period label that matches the documented pattern", () => {
    const params = Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => (op.parameters ?? []).filter((p) => p.name === "period" && p.in === "path")));
    expect(params.length).toBeGreaterThan(0);
    for (const p of params) expect(p.schema.pattern).toBe(PERIOD_LABEL_PATTERN);
    fc.assert(fc.property(fc.stringMatching(new RegExp(PERIOD_LABEL_PATTERN)), (label) => parsePeriodLabel(label) !== null));
  });

  it.each([
    ["PersonPatch", PersonPatchSchema],
    ["TeamPatch", TeamPatchSchema],
    ["LetterPatch", LetterPatchSchema],
  ] as const)("states %s's 'at least one field' rule as minProperties", (name, schema) => {
    expect(doc.components.schemas[name]?.minProperties).toBe(1);
    expect(schema.safeParse({}).success).toBe(false);
  });
});
