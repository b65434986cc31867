// Every common form of Kept with JavaScript switched off (this file runs in the "no-javascript"
// project: javaScriptEnabled false). Each form is submitted for real and its effect read back:
// both kinds of commitment, a check-in, a re-scope, an outcome whose fields follow the chosen
// outcome in CSS, a carry-forward, retrospective notes and action items, Settings with the
// public branding (accent colour refused when too light, a logo upload), and an API token.
// Accounts and publishing forms have their own *.nojs.spec.ts files.
import type { Page } from "@playwright/test";
import { formatDay } from "../../app/domain/dates";
import { addDays, quarterContaining, today } from "./calendar";
import { ADMIN, ORG_NAME, expect, expectFieldError, field, openOutcomeForm, signInAsAdmin, test } from "./fixtures";

const PERIOD = quarterContaining(today());
const NEXT = quarterContaining(addDays(PERIOD.end, 1));
const TEAM = { name: "Refunds", slug: "refunds" };
const METRIC_STATEMENT = `Settle 99.9% of EU card refunds within 2 days by ${PERIOD.end}.`;
const DELIVERABLE_STATEMENT = `Make instant refunds to SEPA accounts generally available by ${PERIOD.end}.`;
// A 1×1 PNG: the bytes, not the file name, make it an image.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaGj4DwAFhAKAjM1mOQAAAABJRU5ErkJggg==", "base64");

test.beforeEach(async ({ page }, testInfo) => {
  expect(testInfo.project.use.javaScriptEnabled, "this file runs with JavaScript off").toBe(false);
  await signInAsAdmin(page);
});

async function ensureTeam(page: Page) {
  if ((await page.goto(`/teams/${TEAM.slug}`))?.status() === 200) return;
  await page.goto("/teams");
  await field(page, "Name").fill(TEAM.name);
  const slug = field(page, "Address (slug)");
  if ((await slug.count()) > 0) await slug.fill(TEAM.slug);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${TEAM.slug}`));
}

/** Writes a commitment through /commitments/new and returns its path. */
async function commit(page: Page, statement: string, measure: (page: Page) => Promise<void>) {
  await page.goto("/commitments/new");
  await field(page, "Commitment (one sentence, the words customers will read)").fill(statement);
  await measure(page);
  await field(page, "Evidence source (how anyone can verify it)").fill("Refunds dashboard on the public status page");
  await field(page, "Period").selectOption(PERIOD.label);
  await field(page, "Due date").fill(PERIOD.end);
  await field(page, "Team").selectOption({ label: TEAM.name });
  await page.getByRole("radio", { name: "Public" }).check();
  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  return new URL(page.url()).pathname;
}

async function open(page: Page, label: string) {
  const summary = page.locator("details.action > summary", { hasText: new RegExp(`^${label}$`) });
  await expect(summary).toHaveCount(1);
  await summary.click();
  await expect(summary.locator("xpath=..")).toHaveAttribute("open", "");
}

test("a metric and a deliverable are written, checked in, re-scoped, resolved and carried forward without JavaScript", async ({ page }) => {
  test.setTimeout(180_000);
  await ensureTeam(page);

  const deliverable = await commit(page, DELIVERABLE_STATEMENT, async (p) => {
    await p.getByRole("radio", { name: "A deliverable with an observable event" }).check();
    await field(p, "Observable event that proves delivery").fill("Instant SEPA refunds listed as generally available in the changelog");
  });
  await page.goto(deliverable);
  await expect(page.locator("dl.facts").first()).toContainText("Instant SEPA refunds listed as generally available");

  const metric = await commit(page, METRIC_STATEMENT, async (p) => {
    await field(p, "What is measured").fill("Share of EU card refunds settled within 2 days");
    await field(p, "Baseline (today)").fill("97");
    await field(p, "Target is").selectOption({ label: "at least (≥)" });
    await field(p, "Target").fill("99.9");
    await field(p, "Unit").fill("%");
  });

  // Check in.
  await page.goto(metric);
  await open(page, "Check in");
  const checkIn = page.locator("form", { has: page.getByRole("button", { name: "Record check-in" }) });
  await checkIn.getByLabel("Forecast", { exact: true }).selectOption({ label: "At risk" });
  await checkIn.getByLabel("Probability of delivery (%)", { exact: true }).fill("55");
  await checkIn.getByLabel("Progress value (optional)", { exact: true }).fill("98.4");
  await checkIn.getByLabel("Note", { exact: true }).fill("Two acquirers still batch refunds overnight.");
  await checkIn.getByRole("button", { name: "Record check-in" }).click();
  await expect(page).toHaveURL(/\?saved=check-in$/);
  await expect(page.getByRole("region", { name: "History" })).toContainText(`${ADMIN.name} checked in for ${formatDay(today())}: at risk, 55% likely`);

  // Re-scope: the period has begun, so the commitment is locked and the change needs a reason.
  await page.getByRole("link", { name: "Re-scope" }).click();
  await field(page, "What is measured").fill("Share of EU card refunds settled within 2 days, Visa and Mastercard only");
  const save = page.getByRole("button", { name: "Save (re-scope if what was promised changed)" });
  await save.click();
  await expectFieldError(field(page, "Why are you changing it? (required for a re-scope)"), /Say why/);
  await expect(field(page, "What is measured")).toHaveValue("Share of EU card refunds settled within 2 days, Visa and Mastercard only");
  await field(page, "Why are you changing it? (required for a re-scope)").fill("Two smaller card schemes settle through a partner we do not control.");
  await save.click();
  await expect(page).toHaveURL(new RegExp(`${metric}\\?`));
  await expect(page.getByRole("region", { name: "Re-scoped: original beside current" })).toContainText("Visa and Mastercard only");

  // The outcome: offered from 30 days before the due date, earlier through "Record the outcome now"
  // (the period ends this quarter, so which one depends on today's date).
  await openOutcomeForm(page);
  const outcome = page.locator("form.outcome-form");
  await expect(outcome).toBeVisible();
  const partial = outcome.getByLabel("Which part was delivered", { exact: true });
  const reason = outcome.getByLabel("Primary reason", { exact: true });
  // No script runs: CSS shows the fields the chosen outcome needs.
  await expect(partial).toBeHidden();
  await outcome.getByLabel("Outcome", { exact: true }).selectOption({ label: "Delivered" });
  await expect(reason).toBeHidden();
  await outcome.getByLabel("Outcome", { exact: true }).selectOption({ label: "Partially delivered" });
  await expect(partial).toBeVisible();
  await expect(reason).toBeVisible();
  await partial.fill("Visa refunds settle within 2 days; Mastercard still takes 3.");
  await outcome.getByLabel("Actual value (optional)", { exact: true }).fill("99.2");
  await reason.selectOption({ index: 1 });
  await outcome.getByLabel("Was it in our control?", { exact: true }).selectOption({ index: 1 });
  await outcome.getByLabel("What happened (Markdown)", { exact: true }).fill("Mastercard's settlement file arrives a day later than we assumed.");
  await outcome.getByLabel("What we learned (Markdown)", { exact: true }).fill("Confirm every scheme's settlement timing before promising a number.");
  await outcome.getByRole("button", { name: "Record outcome" }).click();
  await expect(page).toHaveURL(/\?saved=outcome$/);
  await expect(page.getByRole("region", { name: "Outcome" })).toContainText("Visa refunds settle within 2 days");

  // Carry the partial delivery forward into the next quarter.
  await open(page, "Carry forward");
  const carry = page.locator("form", { has: page.getByLabel("Commitment for the next attempt", { exact: true }) });
  await carry.getByLabel("Commitment for the next attempt", { exact: true }).fill(`Settle 99.9% of EU card refunds within 2 days by ${NEXT.end}.`);
  await carry.getByLabel("New period", { exact: true }).selectOption(NEXT.label);
  await carry.getByLabel("New due date", { exact: true }).fill(NEXT.end);
  await carry.getByRole("button", { name: "Carry forward" }).click();
  await expect(page).toHaveURL(/\?carried=1$/);
  await expect(page.locator(".commitment-meta")).toContainText("attempt 2");
});

test("retrospective notes and action items are written without JavaScript, and the notes read rendered", async ({ page }) => {
  await ensureTeam(page);
  await page.goto(`/retrospectives/${TEAM.slug}/${PERIOD.label}`);
  const notes = page.getByRole("region", { name: "Notes" });
  const summary = page.locator("details.action > summary", { hasText: /^(Write|Edit) the notes$/ });
  await summary.click();
  await field(page, "What went well (Markdown)").fill("Refunds reached **most** merchants early.");
  await field(page, "What did not go well (Markdown)").fill("One scheme's settlement timing surprised us.");
  await field(page, "What we will change (Markdown)").fill("Ask every scheme for its timing in writing.");
  await notes.getByRole("button", { name: "Save notes" }).click();
  await expect(page).toHaveURL(/\?saved=notes$/);
  await expect(notes.locator(".prose strong")).toHaveText("most");

  const item = `Collect each card scheme's settlement timing (${Date.now()})`;
  await field(page, "What will be done").fill(item);
  await page.getByRole("button", { name: "Add action item" }).click();
  await expect(page).toHaveURL(/\?saved=add-action$/);
  await page.getByRole("button", { name: `Mark done: ${item}` }).click();
  await expect(page).toHaveURL(/\?saved=action-status$/);
});

test("Settings, the public branding and an API token are saved without JavaScript; the public pages show them", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto("/settings");
  const accent = field(page, "Accent colour (optional)");
  await accent.fill("#ffcc00");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expectFieldError(accent, /too light/);
  await expect(accent).toHaveValue("#ffcc00");
  await accent.fill("#7A1F5C");
  await page.getByLabel("Show check-ins (forecasts and notes) on public commitment pages").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  await page.goto("/settings");
  await expect(field(page, "Accent colour (optional)")).toHaveValue("#7a1f5c");
  await expect(page.getByLabel("Show check-ins (forecasts and notes) on public commitment pages")).toBeChecked();

  // The logo: a file that is not an image is refused beside the field; a PNG is kept.
  await page.getByLabel("Upload a logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("not an image") });
  await page.getByRole("button", { name: "Save logo" }).click();
  await expectFieldError(page.getByLabel("Upload a logo"), /not a PNG, JPEG, WebP or GIF/);
  await page.getByLabel("Upload a logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "Save logo" }).click();
  await expect(page).toHaveURL(/\?logo=saved/);
  await expect(page.getByRole("img", { name: "The current logo" })).toBeVisible();

  // An API token.
  await page.goto("/account/tokens");
  await field(page, "Name (what will use it)").fill(`No-script report ${Date.now()}`);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText(/kept_[A-Za-z0-9]+_/).first()).toBeVisible();

  // A reader sees the organisation's name, logo and colour, and Kept's name only in the footer.
  const reader = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const p = await reader.newPage();
    await p.goto("/ledger");
    const banner = p.getByRole("banner");
    await expect(banner).toContainText(ORG_NAME);
    await expect(banner).not.toContainText("Kept");
    await expect(banner.locator("img.brand__logo")).toHaveAttribute("src", /^\/brand\/logo\?v=[0-9a-f]{16}$/);
    await expect(p.locator('link[rel=stylesheet][href="/brand/accent.css?c=7a1f5c"]')).toHaveCount(1);
    await expect(p.getByRole("contentinfo")).toContainText("Published with Kept");
    const logo = await p.request.get((await banner.locator("img.brand__logo").getAttribute("src"))!);
    expect(logo.headers()["content-type"]).toBe("image/png");
    expect(Buffer.from(await logo.body()).equals(PNG)).toBe(true);
  } finally {
    await reader.close();
  }

  // Back to Kept's own look: no accent colour, no logo.
  await page.goto("/settings");
  await field(page, "Accent colour (optional)").fill("");
  await page.getByLabel("Show check-ins (forecasts and notes) on public commitment pages").uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  await page.getByRole("button", { name: "Remove the logo" }).click();
  await expect(page).toHaveURL(/\?logo=removed/);
  await expect(page.getByRole("img", { name: "The current logo" })).toHaveCount(0);
});
