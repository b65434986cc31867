// The commitment page and its public permalink: a deliverable written and checked in without
// JavaScript, the progress chart as an image with a data table, actions behind buttons, history
// in sentences, and the public page that anyone can follow — axe-clean at 1280 and 390 px
// without sideways scrolling. Internal commitments have no public page.
import type { Browser, Page } from "@playwright/test";
import { formatDay } from "../../app/domain/dates";
import { quarterContaining, today } from "./calendar";
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, field, signInAsAdmin, test } from "./fixtures";

const PERIOD = quarterContaining(today());
const TEAM = { name: "Payouts", slug: "payouts" };
const STATEMENT = `Make SEPA instant payouts generally available to every EU merchant by ${PERIOD.end}.`;
const INTERNAL = `Retire the legacy payout batch job on every EU shard by ${PERIOD.end}.`;

async function noScriptContext(browser: Browser, baseURL: string) {
  return browser.newContext({ baseURL, javaScriptEnabled: false });
}

async function ensureTeam(page: Page) {
  if ((await page.goto(`/teams/${TEAM.slug}`))?.status() === 200) return;
  await page.goto("/teams");
  await field(page, "Name").fill(TEAM.name);
  await field(page, "Address (slug)").fill(TEAM.slug);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${TEAM.slug}\\?created=1$`));
}

/** Writes a deliverable through the form as it works without JavaScript; returns its path. */
async function writeDeliverable(page: Page, statement: string, audience: "Public" | "Internal") {
  await page.goto(`/commitments?q=${encodeURIComponent(statement.split(" ").slice(0, 4).join(" "))}`);
  const existing = page.getByRole("link", { name: statement, exact: true });
  if ((await existing.count()) > 0) return (await existing.first().getAttribute("href"))!;
  await page.goto("/commitments/new");
  await field(page, "Commitment (one sentence, the words customers will read)").fill(statement);
  const event = field(page, "Observable event that proves delivery");
  await expect(event).toBeHidden();
  await page.getByRole("radio", { name: "A deliverable with an observable event" }).check();
  // No script runs: CSS alone shows the deliverable's field once its radio is chosen.
  await expect(event).toBeVisible();
  await expect(field(page, "What is measured")).toBeHidden();
  await event.fill("SEPA instant payouts listed as generally available on the public changelog");
  await field(page, "Evidence source (how anyone can verify it)").fill("Public changelog and status page");
  await field(page, "Period").selectOption(PERIOD.label);
  await field(page, "Due date").fill(PERIOD.end);
  await field(page, "Team").selectOption({ label: TEAM.name });
  await page.getByRole("radio", { name: audience }).check();
  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  return new URL(page.url()).pathname;
}

test("without JavaScript a deliverable is written and checked in, and its page leads with facts, chart and actions", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const context = await noScriptContext(browser, baseURL!);
  try {
    const page = await context.newPage();
    await signInAsAdmin(page);
    await ensureTeam(page);
    const path = await writeDeliverable(page, STATEMENT, "Public");
    await page.goto(path);
    await expect(page.locator("dl.facts").first()).toContainText("SEPA instant payouts listed as generally available");

    // Actions are buttons; their forms stay closed until asked for, and open without a script.
    const checkInForm = page.locator("form", { has: page.getByRole("button", { name: "Record check-in" }) });
    await expect(checkInForm).toBeHidden();
    await page.locator("details.action > summary", { hasText: /^Check in$/ }).click();
    await expect(checkInForm).toBeVisible();
    await checkInForm.getByLabel("Forecast", { exact: true }).selectOption({ label: "At risk" });
    await checkInForm.getByLabel("Probability of delivery (%)", { exact: true }).fill("65");
    await checkInForm.getByLabel("Note", { exact: true }).fill("Two banks still certifying.");
    await page.getByRole("button", { name: "Record check-in" }).click();
    await expect(page).toHaveURL(/\?saved=check-in$/);

    const chart = page.getByRole("img", { name: "Forecast probability of delivery" });
    await expect(chart).toBeVisible();
    await page.locator("figure.chart--progress summary", { hasText: "Show data" }).click();
    await expect(page.locator("figure.chart--progress table")).toContainText("65%");
    const history = page.getByRole("region", { name: "History" });
    await expect(history).toContainText(`${ADMIN.name} checked in for ${formatDay(today())}: at risk, 65% likely to be delivered.`);
    await expect(history).toContainText(`${ADMIN.name} made the commitment.`);
    await expect(page.locator(".commitment-meta")).toContainText(`due ${formatDay(PERIOD.end)}`);
  } finally {
    await context.close();
  }
});

test("the commitment page and its public permalink pass axe at 1280 and 390 px; internal commitments have none", async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  await ensureTeam(page);
  const path = await writeDeliverable(page, STATEMENT, "Public");
  const internalPath = await writeDeliverable(page, INTERNAL, "Internal");

  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(STATEMENT);
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectAccessible(page, "the commitment page at 1280 px");
  await page.screenshot({ path: testInfo.outputPath("commitment-page-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, "the commitment page at 390 px");
  await page.screenshot({ path: testInfo.outputPath("commitment-page-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectNoHorizontalScroll(page, "the commitment page");
  await page.locator("details.action > summary", { hasText: /^Check in$/ }).click();
  // Opening an action moves the focus into its form.
  await expect(page.getByLabel("Date", { exact: true })).toBeFocused();
  await expectAccessible(page, "the commitment page with the check-in form open");
  const publicLink = page.getByRole("link", { name: "public page" });
  const publicPath = (await publicLink.getAttribute("href"))!;
  expect(publicPath).toBe(`/ledger/commitments/${path.split("/").pop()}`);

  const anonymous = await browser.newContext({ baseURL });
  try {
    const reader = await anonymous.newPage();
    await reader.goto("/ledger");
    await reader.getByRole("link", { name: STATEMENT, exact: true }).first().click();
    await expect(reader).toHaveURL(new RegExp(`${publicPath}$`));
    await expect(reader.getByRole("heading", { level: 1 })).toHaveText(STATEMENT);
    await expect(reader.getByRole("region", { name: "The promise" })).toContainText(STATEMENT);
    await expect(reader.getByRole("region", { name: "What became of it" })).toContainText("Still open");
    await reader.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible(reader, "the public commitment page at 1280 px");
    await reader.screenshot({ path: testInfo.outputPath("public-commitment-1280.png"), fullPage: true });
    await reader.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(reader, "the public commitment page at 390 px");
    await reader.screenshot({ path: testInfo.outputPath("public-commitment-390.png"), fullPage: true });
    await expectNoHorizontalScroll(reader, "the public commitment page");
    // Kept's own name is only a small line at the foot of the public page.
    await expect(reader.getByRole("banner")).not.toContainText("Kept");
    await expect(reader.getByRole("contentinfo")).toContainText("Published with Kept");
    const internal = await reader.goto(`/ledger/commitments/${internalPath.split("/").pop()}`);
    expect(internal?.status(), "an internal commitment has no public page").toBe(404);
    const bogus = await reader.goto("/ledger/commitments/not-an-id");
    expect(bogus?.status()).toBe(404);
  } finally {
    await anonymous.close();
  }
});
