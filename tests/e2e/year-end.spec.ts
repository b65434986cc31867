// The year-end close and the publishing safeguards around it (ADR 0017): the close page lists
// what is still open and leads to drafting the letter; a year that has not started is neither
// offered nor accepted (page and API); a year that has ended publishes after a ticked box.
// Each test sets up what it needs, so the spec passes alone and after the others.
import type { APIRequestContext, Page } from "@playwright/test";
import { quarterContaining, today } from "./calendar";
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, field, setUpIfEmpty, signIn, test } from "./fixtures";

const quarter = quarterContaining(today());
const FISCAL_YEAR = Number(quarter.label.slice(2, 6));
const SLUG = "year-end-e2e";
const TEAM = "Year-end support";
const OPEN = "Answer every enterprise support ticket within 4 business hours, every week of the quarter";

async function apiToken(page: Page): Promise<string> {
  await page.goto("/account/tokens");
  await field(page, "Name (what will use it)").fill("year-end e2e");
  await field(page, "Scope").selectOption("write");
  await page.getByRole("button", { name: "Create token" }).click();
  return ((await page.getByTestId("new-token").textContent()) ?? "").trim();
}

async function api(request: APIRequestContext, token: string, method: "GET" | "POST", path: string, body?: unknown) {
  return request.fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    data: body ? JSON.stringify(body) : undefined,
  });
}

let token = "";

test.beforeAll(async ({ browser }, testInfo) => {
  if (process.env.KEPT_E2E_SKIP) return;
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const page = await context.newPage();
    if (!(await setUpIfEmpty(page))) await signIn(page, ADMIN);
    token = await apiToken(page);
    const teams = (await (await api(context.request, token, "GET", "/api/v1/teams")).json()) as { items: Array<{ slug: string }> };
    if (teams.items.some((t) => t.slug === SLUG)) return;
    const me = (await (await api(context.request, token, "GET", "/api/v1/me")).json()) as { id: string };
    const team = (await (await api(context.request, token, "POST", "/api/v1/teams", { name: TEAM, slug: SLUG, mission: "Enterprise support" })).json()) as { id: string };
    const base = { evidenceSource: "Support desk SLA report", teamId: team.id, audience: "internal", ownerId: me.id };
    const made = await api(context.request, token, "POST", "/api/v1/commitments", {
      ...base,
      statement: OPEN,
      periodLabel: quarter.label,
      dueDate: quarter.end,
      measure: { kind: "deliverable", event: "The SLA report shows no ticket over 4 business hours" },
    });
    expect(made.status(), await made.text()).toBe(201);
    // A commitment in next fiscal year: that year is still not offered for a letter.
    const next = await api(context.request, token, "POST", "/api/v1/commitments", {
      ...base,
      statement: "Publish the enterprise support handbook on the help centre",
      periodLabel: `FY${FISCAL_YEAR + 1}-Q1`,
      dueDate: `${FISCAL_YEAR}-08-15`,
      measure: { kind: "deliverable", event: "The handbook is on the help centre" },
    });
    expect(next.status(), await next.text()).toBe(201);
  } finally {
    await context.close();
  }
});

test("the close page lists what is still open, by team with its owner, and ends in drafting the letter", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole("link", { name: "Close the year" }).click();
  await expect(page).toHaveURL(new RegExp(`/year-end/${FISCAL_YEAR}$`));
  await page.goto("/letters");
  await page.getByRole("link", { name: `Close FY${FISCAL_YEAR}`, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Close FY${FISCAL_YEAR}`);
  await expect(page.locator("#countdown")).toContainText(new RegExp(`FY${FISCAL_YEAR} ends (in \\d+ days?|today)`));

  const open = page.getByRole("region", { name: /Commitments without an outcome/ });
  const team = open.getByRole("region", { name: new RegExp(TEAM) });
  await expect(team.getByRole("link", { name: OPEN })).toBeVisible();
  await expect(team.getByRole("listitem").filter({ hasText: OPEN })).toContainText(ADMIN.name);
  await expect(page.getByRole("region", { name: /Retrospectives not yet held/ })).toContainText(`The whole organisation, FY${FISCAL_YEAR}`);
  await expect(page.getByRole("region", { name: /Explanations still missing/ })).toBeVisible();
  const draft = page.getByRole("region", { name: "Draft the letter" });
  await expect(draft).toContainText("Publishing before the year ends asks you to confirm that in writing.");

  await expectAccessible(page, "year-end close (1280 px)");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, "year-end close (390 px)");
  await expectNoHorizontalScroll(page, "year-end close");
  await page.setViewportSize({ width: 1280, height: 800 });

  // The owner's link leads to the commitment, where the outcome is recorded.
  await team.getByRole("link", { name: OPEN }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Answer every enterprise support ticket");
});

test("a year that has not started is not offered, and is refused on the page and over the API", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/letters");
  const year = field(page, "Fiscal year");
  expect(await year.locator(`option[value="${FISCAL_YEAR + 1}"]`).count()).toBe(0);
  await expect(year.locator(`option[value="${FISCAL_YEAR}"]`)).toHaveCount(1);

  // Posted anyway (a stale page, a crafted form): refused beside the field, nothing drafted.
  await year.evaluate((select, y) => {
    const option = document.createElement("option");
    option.value = String(y);
    option.textContent = `FY${y}`;
    select.appendChild(option);
    (select as HTMLSelectElement).value = String(y);
  }, FISCAL_YEAR + 1);
  await page.getByRole("button", { name: "Draft the letter" }).click();
  await expect(page.getByText(`FY${FISCAL_YEAR + 1} has not started yet`)).toBeVisible();
  await expect(year).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/letters(\?index)?$/);

  const res = await api(page.request, token, "POST", "/api/v1/letters", { fiscalYear: FISCAL_YEAR + 1, audience: "public" });
  expect(res.status()).toBe(422);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  expect(await res.json()).toMatchObject({ code: "LETTER.YEAR_NOT_STARTED", fields: [{ name: "fiscalYear" }] });
});

test("after the year has ended, publishing is a ticked box (at phone width, with axe)", async ({ page }) => {
  const lastYear = FISCAL_YEAR - 1;
  await signIn(page, ADMIN);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/year-end/${lastYear}`);
  await expect(page.locator("#countdown")).toContainText(`FY${lastYear} ended`);
  await expectAccessible(page, "year-end close of an ended year (390 px)");
  const draft = page.getByRole("region", { name: "Draft the letter" });
  await draft.getByRole("button", { name: `Draft the internal letter for FY${lastYear}` }).click();
  await expect(page).toHaveURL(/\/letters\/drafts\/[0-9a-f-]{36}$/);

  const box = page.getByLabel("I have read this letter; publish it for good");
  await expect(box).not.toBeChecked();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Tick the box to confirm")).toBeVisible();
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "publish refused without the box (390 px)");
  await expectNoHorizontalScroll(page, "letter draft editor with the publish confirmation");
  await box.check();
  await page.getByRole("button", { name: "Publish" }).click();
  // Publishing freezes and hashes the letter; on a loaded machine that takes a while.
  await expect(page).toHaveURL(new RegExp(`/letters/${lastYear}/internal$`), { timeout: 30_000 });
});
