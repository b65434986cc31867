import { describe, expect, it } from "vitest";
import { formOfSubmission, keptField } from "./unsent-submission";

describe("a submission kept until its answer arrives", () => {
  it("never keeps a password, a file or a field named for a secret, and keeps what people type", () => {
    for (const [name, type] of [
      ["password", "password"],
      ["newPassword", "text"],
      ["currentPassword", "password"],
      ["attachment", "file"],
      ["secret", "text"],
      ["webhookSecret", "text"],
      ["token", "text"],
      ["currentToken", "hidden"],
      ["code", "text"],
      ["recoveryCode", "text"],
      ["otp", "text"],
      ["", "text"],
    ] as const) {
      expect(keptField(name, type), name || "(no name)").toBe(false);
    }
    for (const [name, type] of [
      ["statement", "text"],
      ["email", "email"],
      ["name", "text"],
      ["explanation", ""],
      ["tokenScope", ""],
      ["postcode", "text"],
      ["dueDate", "date"],
    ] as const) {
      expect(keptField(name, type), name).toBe(true);
    }
  });

  it("goes back into the form it came from: same action, then the most of its field names", () => {
    const kept = { action: "http://kept.test/commitments/1", fields: [["intent", "check-in"], ["note", "Slipping"], ["probability", "40"]] as Array<[string, string]> };
    const forms = [
      { action: "http://kept.test/logout", names: new Set(["intent", "note", "probability"]) },
      { action: "http://kept.test/commitments/1", names: new Set(["intent", "explanation"]) },
      { action: "http://kept.test/commitments/1", names: new Set(["intent", "note", "probability", "forecast"]) },
    ];
    expect(formOfSubmission(kept, forms)).toBe(2);
    expect(formOfSubmission(kept, forms.slice(0, 2))).toBe(1);
    expect(formOfSubmission(kept, forms.slice(0, 1))).toBe(-1);
    expect(formOfSubmission({ ...kept, action: "http://kept.test/teams" }, forms)).toBe(-1);
  });
});
