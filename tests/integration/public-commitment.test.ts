// A public commitment's permalink: the whole story for anyone while the public site is on;
// internal commitments do not exist there; with the site off only signed-in people see it.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { organisation } from "../../db/schema";
import type { PublicUser } from "~/models/user.server";
import { recordOutcome, updateCommitment } from "~/services/commitments.server";
import { lockCommitmentsForLetter } from "~/models/letter.server";
import { loadPublicCommitment } from "~/pages/public-commitment.server";
import type { Actor } from "~/domain/result";
import { addMember, makeCommitment, makeCommitmentInput, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

const actorOf = (user: PublicUser): Actor => ({ id: user.id, role: user.role });
const BEFORE = new Date("2026-06-01T09:00:00.000Z");
const DURING = new Date("2026-08-10T09:00:00.000Z");

function mustOk<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe("the public commitment page", () => {
  it("tells a public commitment's story to anyone, and knows no internal commitment", async () => {
    const { db } = await testDatabase();
    await makeOrganisation(db, { fiscalYearStartMonth: 1, timeZone: "Europe/Berlin" });
    const team = await makeTeam(db, { slug: "checkout", name: "Checkout" });
    const editorUser = await makeUser(db, { role: "member", name: "Eve Editor" });
    await addMember(db, team.id, editorUser.id, "editor");
    const editor = actorOf(editorUser);
    const pub = await makeCommitment(db, editor, team.id, {}, BEFORE);
    const internal = await makeCommitment(db, editor, team.id, { audience: "internal", statement: "Cut the internal build time to under 4 minutes by 15 September" }, BEFORE);
    await db.transaction((tx) => lockCommitmentsForLetter(tx, [pub.id], "/letters/2025", editorUser.id, BEFORE));
    mustOk(await updateCommitment(db, editor, pub.id, makeCommitmentInput(team.id, { metricTarget: 350 }), 1, "The CDN contract slipped.", DURING));
    mustOk(
      await recordOutcome(
        db,
        editor,
        pub.id,
        { status: "partial", resolvedAt: "2026-08-10", actualValue: 360, evidenceUrl: "https://status.example.com/slo", partialDescription: "Four of five regions.", reasonCategory: "dependency_blocker", control: "shared", explanation: "The **provider** was late.", lesson: "Ask earlier." },
        2,
        null,
        DURING,
      ),
    );

    const page = await loadPublicCommitment(db, null, pub.id);
    expect(page).not.toBeNull();
    expect(page!.commitment.firstStatement).toBe(makeCommitmentInput(team.id).statement);
    expect(page!.rescopes!.rows).toEqual([expect.objectContaining({ field: "metricTarget", original: 300, current: 350 })]);
    expect(page!.rescopes!.events.map((e) => e.reason)).toEqual(["The CDN contract slipped."]);
    expect(page!.outcome).toMatchObject({ status: "partial", reasonCategory: "dependency_blocker", timing: "on time" });
    expect(page!.outcome!.explanationHtml).toContain("<strong>provider</strong>");

    expect(await loadPublicCommitment(db, null, internal.id)).toBeNull();
    expect(await loadPublicCommitment(db, editor, internal.id)).toBeNull();
    expect(await loadPublicCommitment(db, null, "00000000-0000-4000-8000-000000000000")).toBeNull();

    await db.update(organisation).set({ publicSiteEnabled: false }).where(eq(organisation.id, 1));
    expect(await loadPublicCommitment(db, null, pub.id)).toBeNull();
    expect(await loadPublicCommitment(db, editor, pub.id)).not.toBeNull();
  });
});
