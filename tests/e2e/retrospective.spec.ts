// Retrospectives and the dashboard, end to end in a real browser against the production build:
// holding the previous quarter's retrospective, seeing its open action items carried into the
// current one above the numbers and charts, notes saved with a stale-save conflict, promoting an
// action item into next quarter's commitment, the outcomes CSV, and the dashboard's four lists.
//
// The beforeAll gives this file what it needs on whatever database it finds: Kept set up
// (fiscal year starting in July, time zone UTC), a team of its own, and in it a commitment in
// the quarter containing today whose outcome was recorded today as Missed. No other spec
// writes in that team, so the file passes alone and in any order with the others.
//
// Like the other files, the tests build on each other's data but are not serial-mode: each
// signs in for itself and finds what it needs by name.
import { parse } from "csv-parse/sync";
import type { BrowserContext, Locator, Page } from "@playwright/test";
import { ADMIN, ensureTeam, expect, expectAccessible, expectNoHorizontalScroll, field, openOutcomeForm, ORG_NAME, signIn, signInAsAdmin, test } from "./fixtures";
import { today, addDays, quarterContaining } from "./calendar";
import { formatDay } from "../../app/domain/dates";


const CURRENT = quarterContaining(today());
const PREVIOUS = quarterContaining(addDays(CURRENT.start, -1));
const NEXT = quarterContaining(addDays(CURRENT.end, 1));
const SCOPE = { slug: "retro-platform", name: "Retro Platform" };
const retroPath = (label: string) => `/retrospectives/${SCOPE.slug}/${label}`;

/** The commitment beforeAll writes in SCOPE and records as Missed. */
const MISSED_STATEMENT = `Serve 99.9% of EU search requests in under 400 ms by ${CURRENT.end}.`;

const CARRIED_ITEM = { text: "Add a load test to every launch checklist", due: addDays(CURRENT.start, 14) };
const PROMOTED_ITEM = { text: "Publish the payments on-call runbook on the internal wiki", due: addDays(NEXT.start, 20) };
const PROMOTED = {
  event: "The runbook page is linked from the on-call rota and reviewed by two on-call engineers",
  evidence: "Internal wiki page history and the review sign-off",
};

/** A statement a naive CSV writer would break: a comma, double quotes and a line break. */
const DUE_SOON = addDays(today(), 10) <= CURRENT.end ? addDays(today(), 10) : CURRENT.end;
const QUOTED = {
  statement: `Cut "cold start" time of the Platform API, in every region,\nto under 2 seconds by ${DUE_SOON}.`,
  event: "p95 cold start under 2 s on the public status page for seven days",
  evidence: "Public status page, cold start panel",
};

const NOTES = {
  wentWell: "Launches went out **on time**; the new release train helped.",
  wentBadly: "We promised 99.95% for checkout while our payment provider only guarantees 99.9%.",
  willChange: "Check every dependency's guarantee before a target goes public.",
};
const NOTES_FIRST_EDIT = "Launches went out on time, and the freeze week was calm.";
const NOTES_STALE_EDIT = "Typed in the second window: add a pre-mortem to every quarterly plan.";

/** Opens the notes' Markdown boxes ("Write the notes" before any, "Edit the notes" after). */
async function openNotes(page: Page) {
  const summary = page.locator("details.action > summary", { hasText: /^(Write|Edit) the notes$/ });
  await expect(summary).toHaveCount(1);
  if (!(await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open))) await summary.click();
  await expect(summary.locator("xpath=..")).toHaveAttribute("open", "");
}

const CSV_HEADER = [
  "commitment",
  "team",
  "period",
  "due date",
  "audience",
  "outcome",
  "resolved on",
  "days late",
  "actual value",
  "reason",
  "control",
  "explanation",
  "evidence link",
  "attempt",
  "link",
];

const COMMITMENT_HREF = /^\/commitments\/[0-9a-f-]{36}$/;

function region(page: Page, name: string | RegExp) {
  return page.getByRole("region", { name, exact: typeof name === "string" ? true : undefined });
}

/** The <li> of an action item in a list of action items, by its text. */
function actionItem(scope: Locator, text: string) {
  return scope.locator("li.action-item").filter({ has: scope.page().getByText(text, { exact: true }) });
}

/**
 * An item's "Promote to a commitment" link; the item's text is in a visually hidden span,
 * which Chromium joins to the visible words with a space (": text" reads " : text").
 */
function promoteLink(item: Locator, text: string) {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return item.getByRole("link", { name: new RegExp(`^Promote to a commitment ?: ${escaped}$`) });
}

function stat(scope: Locator, term: string) {
  return scope.locator("dl.stat-grid dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
}

/** Opens a retrospective the way a person does: through the form on /retrospectives. */
async function openRetrospective(page: Page, periodLabel: string) {
  await page.goto("/retrospectives");
  const form = page.getByRole("form", { name: "Open a retrospective" });
  await form.getByLabel("Team (with its sub-teams)", { exact: true }).selectOption({ label: SCOPE.name });
  await form.getByLabel("Period", { exact: true }).selectOption(periodLabel);
  await form.getByRole("button", { name: "Open retrospective" }).click();
  await expect(page).toHaveURL(new RegExp(`${retroPath(periodLabel)}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Retrospective: ${SCOPE.name}, ${periodLabel}`);
}

async function addActionItem(page: Page, item: { text: string; due: string }) {
  const form = page.locator("form", { has: page.getByRole("button", { name: "Add action item" }) });
  await form.getByLabel("What will be done", { exact: true }).fill(item.text);
  await form.getByLabel("Owner", { exact: true }).fill(ADMIN.email);
  await form.getByLabel("Due date (optional)", { exact: true }).fill(item.due);
  await form.getByRole("button", { name: "Add action item" }).click();
  await expect(page).toHaveURL(/\?saved=add-action$/);
  await expect(page.getByRole("status")).toHaveText("Action item added.");
  // The form is empty again, so a second click cannot add a duplicate by accident.
  await expect(form.getByLabel("What will be done", { exact: true })).toHaveValue("");
}

/** Fills the new-commitment form for a deliverable (the page must already be on /commitments/new). */
async function fillDeliverable(page: Page, c: { event: string; evidence: string }) {
  await page.getByRole("radio", { name: "A deliverable with an observable event" }).check();
  await field(page, "Observable event that proves delivery").fill(c.event);
  await field(page, "Evidence source (how anyone can verify it)").fill(c.evidence);
}

/**
 * The admin's session cookies, from beforeAll's sign-in. Signing in costs seconds (the password
 * hash is deliberately slow), so the tests reuse one session instead of signing in seven times;
 * the stale-save test still signs in a second time, for a second window of its own.
 */
let adminCookies: Awaited<ReturnType<BrowserContext["cookies"]>> = [];

async function asAdmin(page: Page) {
  expect(adminCookies.length, "beforeAll signed the admin in").toBeGreaterThan(0);
  await page.context().addCookies(adminCookies);
}

// Through the same screens a person uses; a step whose data is already there does nothing.
test.beforeAll(async ({ browser }, testInfo) => {
  if (process.env.KEPT_E2E_SKIP) return;
  test.setTimeout(60_000);
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const page = await context.newPage();
    await signInAsAdmin(page);
    await ensureTeam(page, SCOPE);

    await page.goto("/commitments?q=search");
    if ((await page.getByRole("link", { name: MISSED_STATEMENT, exact: true }).count()) === 0) {
      await page.goto("/commitments/new");
      await field(page, "Commitment (one sentence, the words customers will read)").fill(MISSED_STATEMENT);
      await fillDeliverable(page, { event: "99.9% under 400 ms on the search SLO dashboard", evidence: "Search latency SLO dashboard" });
      await field(page, "Period").selectOption(CURRENT.label);
      await field(page, "Due date").fill(CURRENT.end);
      await field(page, "Team").selectOption({ label: SCOPE.name });
      await page.getByRole("radio", { name: "Internal" }).check();
      await page.getByRole("button", { name: "Commit" }).click();
      await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
      const outcome = page.getByRole("region", { name: "Outcome", exact: true });
      await openOutcomeForm(page);
      await outcome.getByLabel("Outcome", { exact: true }).selectOption({ label: "Missed" });
      await outcome.getByLabel("Primary reason", { exact: true }).selectOption({ label: "Dependency or external blocker" });
      await outcome.getByLabel("Was it in our control?", { exact: true }).selectOption({ label: "Outside our control" });
      await outcome.getByLabel("What happened (Markdown)", { exact: true }).fill("The payment provider's EU region failed over three times.");
      await outcome.getByLabel("What we learned (Markdown)", { exact: true }).fill("Promise only what our dependencies guarantee.");
      await page.getByRole("button", { name: "Record outcome" }).click();
      await expect(page).toHaveURL(/\?saved=outcome$/);
    }
    adminCookies = await context.cookies();
  } finally {
    await context.close();
  }
});

test("the previous quarter's retrospective: an action item with an owner and a due date joins its list", async ({ page }) => {
  await asAdmin(page);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Retrospectives" }).click();
  await expect(page).toHaveURL(/\/retrospectives$/);
  // The quarter that just ended is what the form offers first.
  await expect(field(page, "Period")).toHaveValue(PREVIOUS.label);

  await openRetrospective(page, PREVIOUS.label);
  await expect(page.locator(".lead")).toContainText(`${PREVIOUS.start} to ${PREVIOUS.end}`);
  const items = region(page, "Action items");
  await expect(items).toContainText("No action items yet.");

  await addActionItem(page, CARRIED_ITEM);
  const item = actionItem(items, CARRIED_ITEM.text);
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(`${ADMIN.name} · due ${formatDay(CARRIED_ITEM.due)}`);
  await expect(item).toContainText("· open");
  await expect(items).not.toContainText("No action items yet.");

  // Kept after a reload, and listed among the retrospectives held.
  await page.reload();
  await expect(actionItem(items, CARRIED_ITEM.text)).toHaveCount(1);
  await page.goto("/retrospectives");
  await expect(page.getByRole("link", { name: `${SCOPE.name}, ${PREVIOUS.label}`, exact: true })).toHaveAttribute(
    "href",
    retroPath(PREVIOUS.label),
  );
});

test("the current quarter's retrospective opens with the previous open actions, then the numbers, table and charts", async ({
  page,
}) => {
  await asAdmin(page);
  await openRetrospective(page, CURRENT.label);

  // The previous retrospective's open items come first, before the numbers.
  const headings = page.getByRole("heading", { level: 2 });
  await expect(headings.nth(0)).toHaveText(`Open actions from ${PREVIOUS.label}`);
  await expect(headings.nth(1)).toHaveText("The numbers");
  const carried = region(page, `Open actions from ${PREVIOUS.label}`);
  await expect(carried.locator("li.action-item").first()).toContainText(CARRIED_ITEM.text);
  await expect(carried.locator("li.action-item").first()).toContainText(`${ADMIN.name} · due ${formatDay(CARRIED_ITEM.due)}`);
  await expect(page.getByRole("link", { name: `Previous: ${PREVIOUS.label}` })).toHaveAttribute("href", retroPath(PREVIOUS.label));
  await expect(page.getByRole("link", { name: `Next: ${NEXT.label}` })).toHaveAttribute("href", retroPath(NEXT.label));

  const numbers = region(page, "The numbers");
  const made = Number(await stat(numbers, "Made").textContent());
  expect(made, "at least the missed commitment was made this quarter").toBeGreaterThanOrEqual(1);

  // The missed commitment is in the outcomes table, marked Missed, linking to it.
  const table = region(page, "Outcomes").getByRole("table");
  const row = table.getByRole("row").filter({ has: page.getByRole("link", { name: MISSED_STATEMENT, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row.locator(".badge")).toHaveText("Missed");
  await expect(row).toContainText("Dependency or external blocker");
  await expect(row.getByRole("link", { name: MISSED_STATEMENT, exact: true })).toHaveAttribute("href", COMMITMENT_HREF);

  // The charts: figures named by captions, with the drawing exposed as one titled image.
  const figures = numbers.locator("figure");
  expect(await figures.count()).toBeGreaterThanOrEqual(4);
  for (const figure of await figures.all()) {
    await expect(figure.locator("figcaption .chart__title")).not.toHaveText("");
  }
  const outcomesChart = numbers.locator("figure.chart--outcomes");
  await expect(outcomesChart.locator("figcaption")).toContainText("Outcomes");
  await expect(outcomesChart.getByRole("img", { name: "Outcomes", exact: true })).toBeVisible();
  await expect(outcomesChart.locator("svg[role=img] > title")).toHaveText("Outcomes");
  await expect(outcomesChart.locator("svg[role=img] > desc")).toContainText(/[1-9]\d* missed/);
  const svgs = numbers.locator("svg[role=img]");
  expect(await svgs.count()).toBeGreaterThanOrEqual(1);
  for (const svg of await svgs.all()) {
    await expect(svg.locator("> title")).not.toHaveText("");
  }
  // The reasons chart counts the miss's reason.
  await expect(numbers.getByRole("img", { name: "Reasons for what was not delivered", exact: true })).toBeVisible();
});

test("notes: read rendered, edited on demand, kept after a reload; a stale save is refused and keeps what was typed", async ({ page, browser, baseURL }) => {
  await asAdmin(page);
  await page.goto(retroPath(CURRENT.label));
  const notes = region(page, "Notes");
  await openNotes(page);
  await field(page, "What went well (Markdown)").fill(NOTES.wentWell);
  await field(page, "What did not go well (Markdown)").fill(NOTES.wentBadly);
  await field(page, "What we will change (Markdown)").fill(NOTES.willChange);
  await notes.getByRole("button", { name: "Save notes" }).click();
  await expect(page).toHaveURL(/\?saved=notes$/);
  await expect(page.getByRole("status")).toHaveText("Notes saved.");
  // Read as rendered Markdown; the boxes stay closed until asked for.
  await expect(notes.locator(".prose strong")).toHaveText("on time");
  await expect(notes.locator(".notes")).not.toContainText("**on time**");
  await expect(field(page, "What went well (Markdown)")).toBeHidden();

  await page.reload();
  await openNotes(page);
  await expect(field(page, "What went well (Markdown)")).toHaveValue(NOTES.wentWell);
  await expect(field(page, "What did not go well (Markdown)")).toHaveValue(NOTES.wentBadly);
  await expect(field(page, "What we will change (Markdown)")).toHaveValue(NOTES.willChange);

  // Two windows open on the same version; the first saves, then the second.
  const other = await browser.newContext({ baseURL });
  try {
    const second = await other.newPage();
    await signIn(second, ADMIN);
    await second.goto(retroPath(CURRENT.label));
    await openNotes(second);
    await expect(field(second, "What went well (Markdown)")).toHaveValue(NOTES.wentWell);

    await field(page, "What went well (Markdown)").fill(NOTES_FIRST_EDIT);
    await notes.getByRole("button", { name: "Save notes" }).click();
    await expect(page.getByRole("status")).toHaveText("Notes saved.");
    // The saved version closes the editor (the notice was already showing from the first save).
    await expect(field(page, "What went well (Markdown)")).toBeHidden();
    await openNotes(page);
    await expect(field(page, "What went well (Markdown)")).toHaveValue(NOTES_FIRST_EDIT);

    await field(second, "What we will change (Markdown)").fill(NOTES_STALE_EDIT);
    const refusal = second.waitForResponse((r) => r.request().method() === "POST");
    await region(second, "Notes").getByRole("button", { name: "Save notes" }).click();
    expect((await refusal).status(), "a stale save is a conflict").toBe(409);
    const alert = region(second, "Notes").getByRole("alert");
    await expect(alert).toContainText("Someone else saved these notes while you were writing");
    await expect(alert).toContainText("Nothing of yours was saved");
    await expect(field(second, "What we will change (Markdown)")).toHaveValue(NOTES_STALE_EDIT);
    await expect(second.getByRole("status")).toHaveCount(0);
  } finally {
    await other.close();
  }

  // The first save stands; the stale one did not overwrite it.
  await page.goto(retroPath(CURRENT.label));
  await openNotes(page);
  await expect(field(page, "What went well (Markdown)")).toHaveValue(NOTES_FIRST_EDIT);
  await expect(field(page, "What we will change (Markdown)")).toHaveValue(NOTES.willChange);
});

test("promoting an action item prefills next quarter's commitment and links the two", async ({ page }) => {
  await asAdmin(page);
  await page.goto(retroPath(CURRENT.label));
  await addActionItem(page, PROMOTED_ITEM);
  const items = region(page, "Action items");
  const item = actionItem(items, PROMOTED_ITEM.text);
  await expect(item).toHaveCount(1);
  await promoteLink(item, PROMOTED_ITEM.text).click();

  await expect(page).toHaveURL(/\/commitments\/new\?fromAction=[0-9a-f-]{36}$/);
  const fromActionUrl = new URL(page.url()).pathname + new URL(page.url()).search;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New commitment");
  await expect(page.locator(".notice")).toContainText("From a retrospective action item");
  await expect(field(page, "Commitment (one sentence, the words customers will read)")).toHaveValue(PROMOTED_ITEM.text);
  await expect(field(page, "Period")).toHaveValue(NEXT.label);
  await expect(field(page, "Due date")).toHaveValue(PROMOTED_ITEM.due);
  await expect(field(page, "Team").locator("option:checked")).toHaveText(SCOPE.name);
  await expect(field(page, "Owner (directly responsible)")).toHaveValue(ADMIN.name);
  await expect(page.getByRole("radio", { name: "A deliverable with an observable event" })).toBeChecked();

  // Make it falsifiable: an observable event, evidence, and a due date inside next quarter.
  await fillDeliverable(page, PROMOTED);
  expect(PROMOTED_ITEM.due >= NEXT.start && PROMOTED_ITEM.due <= NEXT.end).toBe(true);
  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(PROMOTED_ITEM.text);
  await expect(page.locator(".commitment-meta")).toContainText(`${NEXT.label} · due ${formatDay(PROMOTED_ITEM.due)}`);
  const commitmentPath = new URL(page.url()).pathname;

  // Back on the retrospective: the item says what it became, and cannot be promoted twice.
  await page.goto(retroPath(CURRENT.label));
  await expect(item).toContainText("Became a commitment.");
  await expect(item.getByRole("link", { name: "a commitment", exact: true })).toHaveAttribute("href", commitmentPath);
  await expect(item.getByRole("link", { name: /^Promote to a commitment/ })).toHaveCount(0);
  await item.getByRole("link", { name: "a commitment", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${commitmentPath}$`));

  // The old promotion link now leads to the commitment instead of a second copy.
  await page.goto(fromActionUrl);
  await expect(page).toHaveURL(new RegExp(`${commitmentPath}$`));
});

test("the outcomes CSV has the documented header and keeps commas, quotes and line breaks intact", async ({ page, baseURL }) => {
  await asAdmin(page);
  // A statement a naive CSV writer would split or mangle.
  await page.goto("/commitments/new");
  await field(page, "Commitment (one sentence, the words customers will read)").fill(QUOTED.statement);
  await fillDeliverable(page, QUOTED);
  await field(page, "Period").selectOption(CURRENT.label);
  await field(page, "Due date").fill(DUE_SOON);
  await field(page, "Team").selectOption({ label: SCOPE.name });
  await page.getByRole("radio", { name: "Internal" }).check();
  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  const quotedPath = new URL(page.url()).pathname;

  await page.goto(retroPath(CURRENT.label));
  const link = page.getByRole("link", { name: "Download the outcomes table as CSV", exact: true });
  const href = await link.getAttribute("href");
  expect(href).toBe(`${retroPath(CURRENT.label)}/outcomes.csv`);
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^text\/csv\b/);
  expect(response.headers()["content-disposition"]).toContain(`attachment; filename="kept-${SCOPE.slug}-${CURRENT.label}-outcomes.csv"`);
  const body = await response.text();

  const rows: string[][] = parse(body, { bom: true });
  expect(rows[0]).toEqual(CSV_HEADER);
  const records: Array<Record<string, string>> = parse(body, { bom: true, columns: true });
  expect(records.length).toBe(rows.length - 1);

  const quoted = records.filter((r) => r["link"] === new URL(quotedPath, baseURL).toString());
  expect(quoted, "the new commitment is one CSV record").toHaveLength(1);
  expect(quoted[0]!["commitment"], "the statement round-trips exactly").toBe(QUOTED.statement);
  expect(quoted[0]).toMatchObject({
    team: SCOPE.name,
    period: CURRENT.label,
    "due date": DUE_SOON,
    audience: "internal",
    outcome: "Open",
    "resolved on": "",
  });

  const missed = records.filter((r) => r["commitment"] === MISSED_STATEMENT);
  expect(missed, "the missed commitment is one CSV record").toHaveLength(1);
  expect(missed[0]).toMatchObject({ team: SCOPE.name, period: CURRENT.label, outcome: "Missed", "resolved on": today() });
  expect(missed[0]!["reason"]).toBe("Dependency or external blocker");
  expect(missed[0]!["link"]).toMatch(/^http:\/\/localhost:\d+\/commitments\/[0-9a-f-]{36}$/);
});

test("the dashboard lists what is past due, due soon, at risk, and recently resolved", async ({ page }) => {
  await asAdmin(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ORG_NAME);
  for (const name of [/^Past due, no outcome \(\d+\)$/, /^Due in the next 30 days \(\d+\)$/, /^At risk or off track$/, /^Outcomes in the last 30 days$/]) {
    await expect(region(page, name)).toHaveCount(1);
  }

  // The miss recorded today is under recent outcomes, linking to the commitment.
  const recent = region(page, /^Outcomes in the last 30 days$/);
  const missed = recent.getByRole("listitem").filter({ has: page.getByRole("link", { name: MISSED_STATEMENT, exact: true }) });
  await expect(missed).toHaveCount(1);
  await expect(missed).toContainText(`Missed · recorded ${formatDay(today())}`);
  await expect(missed.getByRole("link")).toHaveAttribute("href", COMMITMENT_HREF);
  await expect(region(page, /^Outcomes in the last 30 days$/)).not.toContainText("No outcomes recorded in the last 30 days.");

  // The commitment due in ten days (or at the quarter's end) is due soon; resolved ones are not.
  const dueSoon = region(page, /^Due in the next 30 days/);
  if (DUE_SOON <= addDays(today(), 30)) {
    await expect(dueSoon.getByRole("link", { name: /cold start/ })).toHaveCount(1);
    await expect(dueSoon.getByRole("listitem").filter({ hasText: "cold start" })).toContainText(`due ${formatDay(DUE_SOON)}`);
  }
  await expect(dueSoon.getByRole("link", { name: MISSED_STATEMENT, exact: true })).toHaveCount(0);

  // Every listed item links to its commitment.
  const links = page.locator(".dash-list a");
  expect(await links.count()).toBeGreaterThanOrEqual(1);
  for (const a of await links.all()) {
    await expect(a).toHaveAttribute("href", COMMITMENT_HREF);
  }
});

test("the dashboard and retrospective pages pass axe (WCAG 2.1 A/AA) and fit a phone screen", async ({ page }) => {
  await asAdmin(page);

  await page.goto("/");
  await expect(region(page, /^Outcomes in the last 30 days$/).getByRole("listitem").first()).toBeVisible();
  await expectAccessible(page, "the dashboard");
  await expectNoHorizontalScroll(page, "the dashboard");

  await page.goto("/retrospectives");
  await expect(page.getByRole("link", { name: `${SCOPE.name}, ${CURRENT.label}`, exact: true })).toBeVisible();
  await expectAccessible(page, "/retrospectives");

  // With carried actions, notes, a promoted item and an open one, charts and the table.
  await page.goto(retroPath(CURRENT.label));
  await expect(field(page, "What we will change (Markdown)")).toHaveValue(NOTES.willChange);
  await expect(region(page, "Action items").getByText("Became a commitment.")).toBeVisible();
  await expect(region(page, `Open actions from ${PREVIOUS.label}`).locator("li.action-item")).toHaveCount(1);
  await expectAccessible(page, retroPath(CURRENT.label));
  await expectNoHorizontalScroll(page, retroPath(CURRENT.label));

  // The chart data tables behind "Show data", opened.
  for (const summary of await page.locator("details.chart__data > summary").all()) await summary.click();
  await expectAccessible(page, `${retroPath(CURRENT.label)} with chart data open`);
  await expectNoHorizontalScroll(page, `${retroPath(CURRENT.label)} with chart data open`);
});
