import { describe, expect, it } from "vitest";
import { PERSON_SUGGESTIONS, choosePerson, personChoiceMessage, personLabel, searchText, typedEmail, type PersonCandidate } from "./person-picker";

const ann = { id: "1", name: "Ann Lee", email: "ann@example.com" };
const anne = { id: "2", name: "Anne Smith", email: "anne@example.com" };
const otherAnn = { id: "3", name: "Ann Lee", email: "ann.lee@example.org" };

describe("typedEmail", () => {
  it("reads a bare e-mail and the e-mail of a suggestion's label, lower-cased", () => {
    expect(typedEmail(" Ann@Example.com ")).toBe("ann@example.com");
    expect(typedEmail(personLabel(ann))).toBe("ann@example.com");
    expect(typedEmail("Ann Lee <ANN@example.com>")).toBe("ann@example.com");
  });
  it("finds none in a name or a part of an address", () => {
    expect(typedEmail("Ann Lee")).toBeNull();
    expect(typedEmail("ann@")).toBeNull();
    expect(typedEmail("ann lee@example.com")).toBeNull();
  });
  it("searches for the e-mail inside a label, else the text", () => {
    expect(searchText("Ann Lee <ann@example.com>")).toBe("ann@example.com");
    expect(searchText("  Ann  ")).toBe("Ann");
  });
});

describe("choosePerson", () => {
  it("is empty for blank text", () => {
    expect(choosePerson("  ", [ann], null)).toEqual({ kind: "empty" });
  });
  it("takes an exact e-mail among several matches", () => {
    expect(choosePerson("anne@example.com", [anne, ann], null)).toEqual({ kind: "one", person: anne });
    expect(choosePerson(personLabel(otherAnn), [otherAnn, ann], null)).toEqual({ kind: "one", person: otherAnn });
  });
  it("keeps the person the form started with while the text is still their whole name", () => {
    expect(choosePerson("Ann Lee", [ann, otherAnn], "3")).toEqual({ kind: "one", person: otherAnn });
    // Typed over with something else: the starting person no longer decides.
    expect(choosePerson("Ann", [ann, otherAnn, anne], "3").kind).toBe("several");
  });
  it("takes the one person whose whole name it is, however many names contain it", () => {
    expect(choosePerson("ann lee", [ann, anne], null)).toEqual({ kind: "one", person: ann });
    expect(choosePerson("Ann Lee", [ann, otherAnn], null)).toMatchObject({ kind: "several", matches: [ann, otherAnn], more: false });
  });
  it("takes the only match, and says none or several otherwise", () => {
    expect(choosePerson("smith", [anne], null)).toEqual({ kind: "one", person: anne });
    expect(choosePerson("zed", [], null)).toEqual({ kind: "none" });
    expect(choosePerson("an", [ann, anne], null)).toEqual({ kind: "several", matches: [ann, anne], more: false });
  });
  it("lists at most PERSON_SUGGESTIONS matches and says when there are more", () => {
    const many: PersonCandidate[] = Array.from({ length: PERSON_SUGGESTIONS + 1 }, (_, i) => ({ id: String(i), name: `Person ${i}`, email: `p${i}@example.com` }));
    const choice = choosePerson("person", many, null);
    expect(choice).toMatchObject({ kind: "several", more: true });
    expect(choice.kind === "several" && choice.matches).toHaveLength(PERSON_SUGGESTIONS);
    expect(personChoiceMessage(choice, "person", "active person")).toBe(
      `More than ${PERSON_SUGGESTIONS} people match “person”: choose one of the first ${PERSON_SUGGESTIONS} below, or type more of the name or e-mail.`,
    );
  });
  it("words its errors with the text typed and whom the field may name", () => {
    expect(personChoiceMessage({ kind: "none" }, " zed ", "active person who is not on this team yet")).toBe(
      "No active person who is not on this team yet matches “zed”. Type part of their name or e-mail.",
    );
    expect(personChoiceMessage(choosePerson("an", [ann, anne], null), "an", "active person")).toBe(
      "2 people match “an”: choose one below, or type more of the name or e-mail.",
    );
    expect(personChoiceMessage({ kind: "one", person: ann }, "Ann", "active person")).toBeNull();
  });
});
