// A change logs the same line whichever way it was made: the use case writes it, so the UI's
// form and the JSON API (which only hand their request logger in) cannot drift apart.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createToken } from "~/services/api-tokens.server";
import { login } from "~/services/auth.server";
import { loadEnv } from "~/utils/env.server";
import { commitSessionToken } from "~/http/session.server";
import { action as commitmentPageAction } from "~/routes/commitments.$id._index";
import { action as apiCheckInAction } from "~/routes/api.v1.commitments.$id.check-ins";
import { DEFAULT_PASSWORD, addMember, makeCommitment, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

/** A request context whose logger keeps every line it is given. */
function capturingContext(db: Awaited<ReturnType<typeof testDatabase>>["db"]) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const context = { db, env: loadEnv({ NODE_ENV: "test" }), logger, requestId: "t", cspNonce: "", clientIp: "127.0.0.1" };
  return { context, lines };
}

/** The lines a change wrote, without what differs per process, moment and commitment. */
const changeLines = (lines: Array<Record<string, unknown>>, commitmentId: string) =>
  lines
    .filter((l) => l.msg === "commitment changed")
    .map(({ time: _time, pid: _pid, hostname: _hostname, ...rest }) => ({ ...rest, commitmentId: rest.commitmentId === commitmentId ? "<the commitment>" : rest.commitmentId }));

describe("change log", () => {
  it("writes the same line for a check-in made on the commitment page and through the API", async () => {
    const { db } = await testDatabase();
    await makeOrganisation(db);
    const editor = await makeUser(db, { email: "editor@example.com" });
    const team = await makeTeam(db);
    await addMember(db, team.id, editor.id, "editor");
    const actor = { id: editor.id, role: editor.role };
    const viaUi = await makeCommitment(db, actor, team.id, { statement: "Ship the first thing by the end of the quarter" });
    const viaApi = await makeCommitment(db, actor, team.id, { statement: "Ship the second thing by the end of the quarter" });
    const checkIn = { date: "2026-06-15", forecast: "at_risk", probability: 60, note: "Halfway there." };

    const ui = capturingContext(db);
    const env = ui.context.env;
    const session = await login(db, { email: editor.email, password: DEFAULT_PASSWORD, ip: "192.0.2.1", userAgent: "vitest", previousToken: null });
    if (!session.ok) throw new Error(session.error.message);
    const cookie = (await commitSessionToken(env, session.value.token, session.value.expiresAt)).split(";")[0]!;
    const form = new FormData();
    for (const [k, v] of Object.entries({ intent: "check-in", ...checkIn, probability: String(checkIn.probability) })) form.append(k, v);
    const saved = (await commitmentPageAction({
      request: new Request(`http://kept.test/commitments/${viaUi.id}`, { method: "POST", body: form, headers: { Cookie: cookie } }),
      context: ui.context,
      params: { id: viaUi.id },
    } as never)) as Response;
    expect(saved.status).toBe(302);

    const api = capturingContext(db);
    const token = await createToken(db, actor, { name: "change log", scope: "write", expiresAt: null }, new Date());
    if (!token.ok) throw new Error(token.error.message);
    const created = (await apiCheckInAction({
      request: new Request(`http://kept.test/api/v1/commitments/${viaApi.id}/check-ins`, {
        method: "POST",
        body: JSON.stringify(checkIn),
        headers: { Authorization: `Bearer ${token.value.token}`, "Content-Type": "application/json" },
      }),
      context: api.context,
      params: { id: viaApi.id },
    } as never)) as Response;
    expect(created.status).toBe(201);

    const fromUi = changeLines(ui.lines, viaUi.id);
    expect(fromUi).toEqual([{ level: 30, msg: "commitment changed", commitmentId: "<the commitment>", intent: "check-in", by: editor.id }]);
    expect(changeLines(api.lines, viaApi.id)).toEqual(fromUi);
  });
});
