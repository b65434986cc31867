// A next-page link carries the last row's sort key, and the query compares it with a typed
// column (a date, an instant, a number, a uuid). A hand-edited link whose key does not fit that
// type — or a link of one sort replayed under another — was a database error: a 500 for bad
// input. Pages start from the beginning instead; the API answers 400 naming the cursor.
import { describe, expect, it } from "vitest";
import * as commitmentsList from "~/routes/commitments._index";
import * as peopleIndex from "~/routes/people._index";
import * as retrospectivePage from "~/routes/retrospectives.$scope.$period";
import * as ledgerPage from "~/routes/ledger";
import { SORTS } from "~/models/commitment.server";
import { encodeCursor } from "~/utils/cursor";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { callRoute, signIn } from "../support/routes";
import { apiClient } from "../support/api-client";

const ID = "4b1e0c8e-2f7a-4c1d-9a7b-0e5f3c2d1a00";
// Keys of every kind the lists write, and a few no list writes: each must fit only its own sort.
const KEYS = ["2026-06-30", "2026-06-30T10:00:00.000Z", "2026-06-30 10:00:00.123456+00", "42", "2026-02-30", "not a key", "99999999999999"];
const cursors = [
  ...KEYS.flatMap((key) => [encodeCursor({ key, id: ID }), encodeCursor({ key, id: "not-a-uuid" })]),
  ...KEYS.map((key) => encodeCursor({ name: key, dueDate: key, id: "x" })),
];

async function organisation() {
  const { db } = await testDatabase();
  const w = await world(db, { teams: { platform: {} }, people: { admin: { role: "admin" } } });
  for (const dueDate of ["2026-03-31", "2026-06-30", "2026-09-30"]) await w.commit(w.actors.admin, w.teams.platform, { dueDate });
  return { db, w, cookie: await signIn(db, w.people.admin.email) };
}

describe("a next-page link whose keys do not fit", () => {
  it("starts the commitments list from the beginning under every sort, and the API answers 400", async () => {
    const { db, w, cookie } = await organisation();
    const token = await w.token(w.people.admin, "read");
    const call = apiClient(db);
    const idsOf = (data: unknown) => (data as { rows: Array<{ id: string }> }).rows.map((r) => r.id);
    for (const sort of SORTS) {
      const first = idsOf((await callRoute(db, commitmentsList.loader, `/commitments?year=all&sort=${sort}`, { cookie })).data);
      for (const after of cursors) {
        const reply = await callRoute(db, commitmentsList.loader, `/commitments?year=all&sort=${sort}&after=${after}`, { cookie });
        // A key that fits this sort is a real position (possibly past every row); one that does not is ignored.
        expect(reply.status, `${sort} ${after}`).toBe(200);
        const ids = idsOf(reply.data);
        expect(ids.every((id) => first.includes(id))).toBe(true);
        const api = await call("GET", `/api/v1/commitments?sort=${sort}&cursor=${after}`, { token });
        expect([200, 400], `${sort} ${after}`).toContain(api.status);
        if (api.status === 400) expect(api.body).toMatchObject({ code: "VALIDATION", fields: [{ name: "cursor" }] });
      }
    }
  });

  it("refuses in the API exactly the cursors that do not fit the sort", async () => {
    const { db, w } = await organisation();
    const token = await w.token(w.people.admin, "read");
    const call = apiClient(db);
    const status = async (sort: string, key: string, id = ID) => (await call("GET", `/api/v1/commitments?sort=${sort}&cursor=${encodeCursor({ key, id })}`, { token })).status;
    expect(await status("due", "2026-06-30")).toBe(200);
    expect(await status("due", "42")).toBe(400);
    expect(await status("due", "2026-02-30")).toBe(400);
    expect(await status("score", "42")).toBe(200);
    expect(await status("score", "2026-06-30")).toBe(400);
    expect(await status("committed_desc", "2026-06-30T10:00:00.000Z")).toBe(200);
    expect(await status("committed_desc", "2026-06-30")).toBe(400);
    expect(await status("outcome_desc", "2026-06-30 10:00:00.123456+00")).toBe(200);
    expect(await status("due", "2026-06-30", "not-a-uuid")).toBe(400);
  });

  it("starts the people list, a retrospective's outcomes and the public ledger from the beginning", async () => {
    const { db, w, cookie } = await organisation();
    const token = await w.token(w.people.admin, "read");
    for (const after of cursors) {
      expect((await callRoute(db, peopleIndex.loader, `/people?after=${after}`, { cookie })).status).toBe(200);
      const api = await apiClient(db)("GET", `/api/v1/people?cursor=${after}`, { token });
      expect([200, 400]).toContain(api.status);
      const params = { scope: w.teams.platform.slug, period: "FY2026" };
      expect((await callRoute(db, retrospectivePage.loader, `/retrospectives/${params.scope}/FY2026?after=${after}`, { cookie, params })).status).toBe(200);
      expect((await callRoute(db, ledgerPage.loader, `/ledger?year=2026&after=${after}`, { cookie })).status).toBe(200);
    }
    // A name key with an id that is not one is refused, not sent to the database.
    expect((await apiClient(db)("GET", `/api/v1/people?cursor=${encodeCursor({ name: "A", id: "x" })}`, { token })).status).toBe(400);
  });
});
