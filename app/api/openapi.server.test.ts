import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.server";

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = structuredClone(openApiDocument());
    await expect(SwaggerParser.validate(doc as never)).resolves.toBeTruthy();
  });

  it("is generated from the request schemas: their constraints show up", () => {
    const doc = openApiDocument() as { components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> } };
    const write = doc.components.schemas.CommitmentWrite!;
    expect(write.properties.statement).toMatchObject({ type: "string", maxLength: 400 });
    expect(write.properties.audience).toMatchObject({ enum: ["public", "internal"] });
    expect(doc.components.schemas.CheckInWrite!.properties.probability).toMatchObject({ minimum: 0, maximum: 100 });
  });
});
