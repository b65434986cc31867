// The forms no other no-JavaScript spec sends, with JavaScript off (the "no-javascript"
// project): drafting a letter from the index, regenerating and discarding the draft; publishing
// an ended year's letter and appending an erratum (refused empty, then shown); a webhook's
// secret rotation and a delivery sent again; ending one named session on the account page and
// the sign-out button; adding a person without a password (the invitation link shown); and
// revoking an API token on a person's page. Each is sent for real and its effect read back.
// Stands alone: it makes its own people, letter (of a long-past year no other spec uses) and
// endpoint, with names of this run.
import type { APIRequestContext } from "@playwright/test";
import { quarterContaining, today } from "./calendar";
import { ADMIN, apiToken, ensurePerson, expect, expectAccessible, expectFieldError, field, newContextWithoutJavaScript, signIn, signInAsAdmin, test } from "./fixtures";
import { startWebhookReceiver, verifiedPayload, type WebhookReceiver } from "./webhook-receiver";

const RUN = Date.now().toString(36);

// The publication's webhook is delivered to this receiver on 127.0.0.1 (the e2e server allows
// private targets), where the spec checks it arrived and is signed: nothing leaves the machine.
let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});
const FISCAL_YEAR = Number(quarterContaining(today()).label.slice(2, 6));

test.beforeEach(async ({ page }, testInfo) => {
  expect(testInfo.project.use.javaScriptEnabled, "this file runs with JavaScript off").toBe(false);
  await signInAsAdmin(page);
});

function bearer(token: string) {
  return { Authorization: `Bearer ${token}` };
}

async function letters(request: APIRequestContext, token: string) {
  const res = await request.get("/api/v1/letters?limit=100", { headers: bearer(token) });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { items: Array<{ id: string; fiscalYear: number; audience: string; status: string }> }).items;
}

test("a letter is drafted from the index, regenerated and discarded", async ({ page }) => {
  test.setTimeout(120_000);
  const token = await apiToken(page, `nojs letters ${RUN}`);
  // Last year's internal letter: no other spec drafts it (letters and year-end use this year
  // and years further back). Left over from an earlier run it is reused; published, it cannot be.
  const year = FISCAL_YEAR - 1;
  const existing = (await letters(page.request, token)).find((l) => l.fiscalYear === year && l.audience === "internal");
  test.skip(existing?.status === "published", `FY${year}'s internal letter is already published on this database`);

  await page.goto("/letters");
  await field(page, "Fiscal year").selectOption(String(year));
  await field(page, "Audience").selectOption("internal");
  await page.getByRole("button", { name: "Draft the letter" }).click();
  await expect(page).toHaveURL(/\/letters\/drafts\/[0-9a-f-]{36}$/);
  const draftPath = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: /Draft/ })).toContainText(`FY${year}`);
  const body = field(page, "Letter (Markdown)");
  await expect(body).toHaveValue(/## Scorecard/);

  // An edit, saved; regenerating over it asks for a yes, then replaces it.
  await body.fill(`${await body.inputValue()}\nAn edit of ${RUN}.\n`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await page.getByRole("button", { name: "Regenerate from the record" }).click();
  await expect(page.getByText("confirm to go ahead")).toBeVisible();
  await expect(field(page, "Letter (Markdown)")).toHaveValue(new RegExp(`An edit of ${RUN}`));
  await page.getByLabel("Yes, replace my edits").check();
  await page.getByRole("button", { name: "Regenerate from the record" }).click();
  await expect(page).toHaveURL(/regenerated=1/);
  await expect(field(page, "Letter (Markdown)")).not.toHaveValue(new RegExp(`An edit of ${RUN}`));
  await expect(field(page, "Letter (Markdown)")).toHaveValue(/## Scorecard/);
  await expectAccessible(page, "a regenerated letter draft, without JavaScript");

  await page.getByRole("button", { name: "Discard this draft" }).click();
  await expect(page).toHaveURL(/\/letters$/);
  expect((await page.request.get(draftPath)).status()).toBe(404);
  expect((await letters(page.request, token)).some((l) => l.fiscalYear === year && l.audience === "internal")).toBe(false);
});

test("an ended year's letter is published, an empty erratum is refused beside the field, then one is appended and shown", async ({ page }) => {
  test.setTimeout(180_000);
  const token = await apiToken(page, `nojs erratum ${RUN}`);
  // A long-past year with no letter: it has no commitments, so publishing locks nothing any
  // other spec writes (year-end.spec takes the latest free year from two years back).
  const taken = new Set((await letters(page.request, token)).map((l) => l.fiscalYear));
  let year = FISCAL_YEAR - 30;
  while (taken.has(year)) year -= 1;

  // A webhook for published letters first, so this publication makes a delivery to send again.
  const hookPath = `/nojs-${RUN}`;
  const address = `${receiver.base}${hookPath}`;
  await page.goto("/settings/webhooks");
  await field(page, "URL").fill(address);
  await page.getByLabel("A letter is published (letter.published)").check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByTestId("new-webhook-secret")).toHaveText(/^whsec_/);
  const firstSecret = ((await page.getByTestId("new-webhook-secret").textContent()) ?? "").trim();
  await page.getByRole("link", { name: `Open ${address}` }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
  const endpointPath = new URL(page.url()).pathname;

  const created = await page.request.post("/api/v1/letters", {
    headers: { ...bearer(token), "Content-Type": "application/json" },
    data: JSON.stringify({ fiscalYear: year, audience: "internal" }),
  });
  expect(created.status(), await created.text()).toBe(201);
  const draft = (await created.json()) as { id: string };

  // Published through the editor: the year has ended, so the box must be ticked.
  await page.goto(`/letters/drafts/${draft.id}`);
  await field(page, "Title").fill(`FY${year} without JavaScript ${RUN}`);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Tick the box to confirm")).toBeVisible();
  await page.getByLabel("I have read this letter; publish it for good").check();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page).toHaveURL(new RegExp(`/letters/${year}/internal$`));
  await expect(page.getByText("No corrections have been made")).toBeVisible();

  // The queue delivers the publication to the receiver, signed with the endpoint's secret.
  const delivered = await receiver.delivery(hookPath);
  expect(delivered.headers["user-agent"]).toBe("Kept-Webhooks/1");
  expect(verifiedPayload(delivered, firstSecret)).toMatchObject({
    type: "letter.published",
    data: { letter: { id: draft.id, fiscalYear: year, audience: "internal", path: `/letters/${year}/internal` } },
  });
  expect(() => verifiedPayload(delivered, `whsec_${Buffer.alloc(32, 7).toString("base64")}`), "another secret does not verify it").toThrow();

  await page.getByRole("button", { name: "Append erratum" }).click();
  await expectFieldError(field(page, "Correction (Markdown)"), /.+/);
  await field(page, "Correction (Markdown)").fill(`The scorecard of ${RUN} counted nothing: there was nothing to count.`);
  await page.getByRole("button", { name: "Append erratum" }).click();
  await expect(page.getByText("Erratum appended.")).toBeVisible();
  await expect(page.locator(".errata-list li")).toHaveCount(1);
  await expect(page.locator(".errata-list li")).toContainText(`The scorecard of ${RUN} counted nothing`);
  await page.goto(`/letters/${year}/internal`);
  await expect(page.locator(".errata-list li")).toContainText(`The scorecard of ${RUN} counted nothing`);
  await expectAccessible(page, "a letter with an erratum, without JavaScript");

  // The endpoint's secret is rotated: a new one, shown once.
  await page.goto(endpointPath);
  await page.getByRole("button", { name: "Rotate the secret" }).click();
  const secret = page.getByTestId("new-webhook-secret");
  await expect(secret).toHaveText(/^whsec_/);
  const newSecret = ((await secret.textContent()) ?? "").trim();
  expect(newSecret).not.toBe(firstSecret);
  await expect(page.getByText(/The previous secret signs until/)).toBeVisible();

  // The publication's delivery (made by the queue) is sent again.
  const redeliver = page.getByRole("button", { name: /^Redeliver letter\.published/ });
  await expect(async () => {
    await page.goto(endpointPath);
    await expect(redeliver.first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await redeliver.first().click();
  await expect(page.getByRole("status")).toHaveText("The delivery is queued to be sent again.");
  // The same message again, signed with the new secret (and the previous one, still valid).
  const again = await receiver.delivery(hookPath, { after: 1 });
  expect(again.headers["webhook-id"]).toBe(delivered.headers["webhook-id"]);
  expect(verifiedPayload(again, newSecret)).toEqual(verifiedPayload(again, firstSecret));
  await expectAccessible(page, "a webhook endpoint after a redelivery, without JavaScript");

  await page.getByRole("button", { name: /^Delete/ }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
});

test("one named session is ended from the account page, and the sign-out button signs out", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const person = { name: `Sol Sessions ${RUN}`, email: `sol-${RUN}@kept.test`, password: "sessions-pass-123" };
  await ensurePerson(page, person, "viewer");

  const here = await newContextWithoutJavaScript(browser, { baseURL });
  const there = await newContextWithoutJavaScript(browser, { baseURL, userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" });
  try {
    const mine = await here.newPage();
    const other = await there.newPage();
    await signIn(mine, person);
    await signIn(other, person);

    await mine.goto("/account");
    const sessions = mine.getByTestId("session");
    await expect(sessions).toHaveCount(2);
    await expect(sessions.filter({ hasText: "This session" })).toHaveCount(1);
    const theOther = sessions.filter({ hasNotText: "This session" });
    await expect(theOther).toContainText("Firefox");
    await theOther.getByRole("button", { name: /^Sign out of / }).click();
    await expect(mine.getByTestId("session")).toHaveCount(1);
    await expect(mine.getByTestId("session")).toContainText("This session");
    await expect(mine.getByText("You are signed in only here.")).toBeVisible();
    await expectAccessible(mine, "the account page after ending a session, without JavaScript");

    // The ended session is signed out; this one is not.
    await other.goto("/account");
    await expect(other).toHaveURL(/\/login/);
    await mine.goto("/account");
    await expect(mine).toHaveURL(/\/account$/);

    // The sign-out button ends this one too.
    await mine.locator("form[action='/logout'] button", { hasText: "Sign out" }).click();
    await expect(mine).toHaveURL(/\/login/);
    await mine.goto("/account");
    await expect(mine).toHaveURL(/\/login/);
  } finally {
    await here.close();
    await there.close();
  }
});

test("a person added without a password gets an invitation link, and a token is revoked on a person's page", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto("/people");
  await field(page, "Name").fill(`Ivo Invited ${RUN}`);
  await field(page, "Email").fill(`ivo-${RUN}@kept.test`);
  await field(page, "Role").selectOption("member");
  await page.getByRole("button", { name: "Add person" }).click();
  const link = ((await page.getByTestId("issued-link-url").textContent()) ?? "").trim();
  expect(link, "the invitation link is shown to pass on").toMatch(/\/set-password\/[A-Za-z0-9_-]{43}$/);
  const anonymous = await newContextWithoutJavaScript(browser, { baseURL });
  try {
    const invited = await anonymous.newPage();
    const opened = await invited.goto(new URL(link).pathname);
    expect(opened?.status()).toBe(200);
    await expect(invited.getByRole("heading", { level: 1 })).toBeVisible();
  } finally {
    await anonymous.close();
  }

  // A token of the admin's own, revoked on the admin's page among the people.
  const name = `nojs revoke ${RUN}`;
  const token = await apiToken(page, name);
  expect((await page.request.get("/api/v1/teams", { headers: bearer(token) })).status()).toBe(200);
  await page.goto(`/people?q=${encodeURIComponent(ADMIN.email)}`);
  await page.getByRole("table").getByRole("link", { name: ADMIN.name, exact: true }).click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: `Revoke ${name}`, exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Token revoked. It stopped working at once.");
  await expect(page.getByRole("button", { name: `Revoke ${name}`, exact: true })).toHaveCount(0);
  expect((await page.request.get("/api/v1/teams", { headers: bearer(token) })).status()).toBe(401);
});
