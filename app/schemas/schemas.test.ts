import { getZodConstraint } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { CarryForwardSchema, CheckInSchema, CommitmentFieldsSchema, CommitmentFormSchema, OutcomeFormSchema } from "./commitments";
import { AddPersonSchema, LoginSchema, OrganisationSettingsSchema, SetupSchema } from "./people";
import { CreateTeamFieldsSchema, CreateTeamSchema, UpdateTeamSchema } from "./teams";

// Every schema a form hands to conform must yield browser constraints: an unsupported shape
// throws while the page renders, which is a 500 for the person filling the form in.
describe("form schemas", () => {
  it.each([
    ["commitment", CommitmentFieldsSchema],
    ["check-in", CheckInSchema],
    ["outcome", OutcomeFormSchema],
    ["carry forward", CarryForwardSchema],
    ["setup", SetupSchema],
    ["login", LoginSchema],
    ["add person", AddPersonSchema],
    ["settings", OrganisationSettingsSchema],
    ["create team", CreateTeamFieldsSchema],
    ["update team", UpdateTeamSchema],
  ])("%s gives conform its constraints", (_name, schema) => {
    expect(getZodConstraint(schema)).toBeTypeOf("object");
  });
});

describe("CommitmentFormSchema", () => {
  const valid = {
    statement: "Serve 99.95% of EU checkout requests under 300 ms",
    measureKind: "metric",
    metricName: "p95 latency",
    metricBaseline: "900",
    metricComparator: "lte",
    metricTarget: "1,000",
    metricUnit: "ms",
    dueDate: "2026-09-30",
    periodLabel: "fy2026-q3",
    teamId: "00000000-0000-4000-8000-000000000001",
    audience: "public",
    tags: "Reliability, reliability, Cost",
  };

  it("normalises numbers, labels and tags, and drops fields of the other measure kind", () => {
    const parsed = CommitmentFormSchema.parse({ ...valid, deliverableEvent: "ignored" });
    expect(parsed).toMatchObject({ metricTarget: 1000, periodLabel: "FY2026-Q3", tags: ["Reliability", "Cost"], deliverableEvent: null, ownerId: null });
  });

  it.each([
    ["metricTarget", { metricTarget: "three hundred" }, "The target must be a number"],
    ["metricTarget", { metricTarget: undefined }, "A metric needs a target number."],
    ["dueDate", { dueDate: "2025-02-30" }, "real date"],
    ["periodLabel", { periodLabel: "FY2026-Q5" }, "Choose a period such as"],
    ["deliverableEvent", { measureKind: "deliverable" }, "observable event"],
    ["statement", { statement: "   " }, "Write the commitment"],
  ])("puts a clear message on %s", (field, patch, message) => {
    const result = CommitmentFormSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toContain(message);
  });
});

describe("CreateTeamSchema", () => {
  const base = { intent: "create", mission: "", parentId: "" };

  it("makes the address from the name when it is left empty", () => {
    expect(CreateTeamSchema.parse({ ...base, name: "Plätform & Data Team", slug: undefined }).slug).toBe("platform-data-team");
  });

  it("keeps an address that was typed, normalised", () => {
    expect(CreateTeamSchema.parse({ ...base, name: "Platform", slug: " Core-Platform " }).slug).toBe("core-platform");
  });

  it("puts the error beside the address when the name has nothing to make one from", () => {
    const result = CreateTeamSchema.safeParse({ ...base, name: "!!", slug: undefined });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path)).toEqual([["slug"]]);
  });

  it("refuses a reserved address made from the name", () => {
    const result = CreateTeamSchema.safeParse({ ...base, name: "Org", slug: undefined });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(["slug"]);
  });
});
