import { describe, expect, it } from "vitest";
import { FIRST_RUN_COMMITMENTS_COUNTED_UP_TO, firstRunChecklist, type FirstRunCounts } from "./first-run";

const counts = (commitments: number): FirstRunCounts => ({
  teams: 1,
  people: 2,
  peopleOnTeams: 2,
  withoutTeam: 0,
  commitments,
  settingsReviewed: true,
  publishedLetters: 0,
});
const commitmentStep = (n: number) => firstRunChecklist(counts(n), "FY2026").steps.find((s) => s.id === "commitment")!;

describe("the first-run checklist's commitment step", () => {
  it("is to do with none, and counts one, several and many with separators", () => {
    expect(commitmentStep(0)).toMatchObject({ done: false, linkText: "Write the first commitment" });
    expect(commitmentStep(1)).toMatchObject({ done: true, detail: "1 commitment so far.", linkText: "See the commitments" });
    expect(commitmentStep(2).detail).toBe("2 commitments so far.");
    expect(commitmentStep(FIRST_RUN_COMMITMENTS_COUNTED_UP_TO).detail).toBe("10,000 commitments so far.");
  });

  it("says 'more than' the bound when the count went past it, not a number it did not count", () => {
    expect(commitmentStep(FIRST_RUN_COMMITMENTS_COUNTED_UP_TO + 1)).toMatchObject({ done: true, detail: "More than 10,000 commitments so far." });
  });
});
