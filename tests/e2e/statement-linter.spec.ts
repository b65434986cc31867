// Writing a checkable statement with the falsifiability linter (issue 12), in a real browser:
// the vague words are marked as you type and, without JavaScript, after submitting; the
// suggested wording is built from what was typed and saves as a checkable commitment; the
// numbers and date in a statement go into the fields in one click; and on a phone the feedback
// sits under the statement, above the submit button.
//
// The spec sets up what it needs: run alone it performs first-run setup, and it creates its
// own team, so it passes in any order with the other specs.
import type { Page } from "@playwright/test";
import { ADMIN, expect, expectAccessible, field, signIn, signInAsAdmin, test } from "./fixtures";
import { quarterContaining, today } from "./calendar";

const TEAM = { name: "Checkout Web", slug: "checkout-web" };
const PERIOD = quarterContaining(today());
const DUE = PERIOD.end; // inside the period and not in the past
const STATEMENT_LABEL = "Commitment (one sentence, the words customers will read)";
const VAGUE = "Improve checkout speed significantly";

/** "30 September 2026": how the app writes a day in prose. */
function longDate(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
}

async function ensureTeam(page: Page) {
  const existing = await page.goto(`/teams/${TEAM.slug}`);
  if (existing?.status() === 200) return;
  await page.goto("/teams");
  await field(page, "Name").fill(TEAM.name);
  await field(page, "Address (slug)").fill(TEAM.slug);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${TEAM.slug}\\?created=1$`));
}

test.beforeAll(async ({ browser }, testInfo) => {
  if (process.env.KEPT_E2E_SKIP) return;
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const page = await context.newPage();
    await signInAsAdmin(page);
    await ensureTeam(page);
  } finally {
    await context.close();
  }
});

test("a vague statement is marked as you type, and the suggested wording saves as a checkable commitment", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/commitments/new");
  const statement = field(page, STATEMENT_LABEL);
  const score = page.getByTestId("lint-score");

  await statement.pressSequentially(VAGUE, { delay: 5 });
  const marked = page.getByTestId("marked-statement");
  await expect(marked.locator("mark")).toHaveText(["Improve", "significantly"]);
  expect(Number(await score.textContent())).toBeLessThan(70);
  // The three findings that matter most first, the rest behind "show all".
  await expect(page.getByTestId("lint-top").locator("li")).toHaveCount(3);
  await expect(page.getByTestId("lint-top").locator("li").first()).toHaveAttribute("data-code", "STATEMENT.VAGUE_TERM");
  await expect(page.locator(".lint__more summary")).toContainText(/^Show all \d+ findings/);
  // Screen readers get one short line, not the whole list again.
  await expect(page.getByTestId("lint-announcement")).toHaveText(/^Falsifiability \d+ of 100, \d+ problems? to fix; public commitments need 70\.$/);

  // The suggestion has blanks until the measure says what the numbers are.
  await expect(page.getByTestId("rewrite")).toContainText("[today's value]");

  await field(page, "What is measured").fill("p99 checkout latency");
  await field(page, "Baseline (today)").fill("800");
  await field(page, "Target is").selectOption({ label: "at most (≤)" });
  await field(page, "Target").fill("300");
  await field(page, "Unit").fill("ms");
  await field(page, "Evidence source (how anyone can verify it)").fill("Public status page, checkout latency panel");
  await field(page, "Period").selectOption(PERIOD.label);
  await field(page, "Due date").fill(DUE);
  await field(page, "Team").selectOption({ label: TEAM.name });
  await page.getByRole("radio", { name: /^Public/ }).check();

  // Numbers in the measure fields don't excuse the sentence: still below the minimum.
  expect(Number(await score.textContent())).toBeLessThan(70);
  const wording = `Reduce p99 checkout latency from 800 ms to 300 ms by ${longDate(DUE)}.`;
  await expect(page.getByTestId("rewrite")).toHaveText(wording);
  await expectAccessible(page, "/commitments/new with a suggested wording");

  await page.getByRole("button", { name: "Use this wording" }).click();
  await expect(statement).toHaveValue(wording);
  await expect(page.getByTestId("marked-statement")).toHaveCount(0);
  await expect(score).toHaveText("100");

  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(wording);
  await expect(page.getByTestId("lint-score")).toHaveText("100");
});

test("the numbers and date in a statement go into the measure and due-date fields in one click", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/commitments/new");
  await field(page, STATEMENT_LABEL).fill(`Cut p95 search latency from 900 ms to 250 ms by ${longDate(DUE)}`);
  await expect(page.getByTestId("offer-summary")).toHaveText(`target 250 ms, from 900 ms, due ${longDate(DUE)}`);
  await page.getByRole("button", { name: "Put these in the measure and due-date fields" }).click();
  await expect(field(page, "Target")).toHaveValue("250");
  await expect(field(page, "Baseline (today)")).toHaveValue("900");
  await expect(field(page, "Unit")).toHaveValue("ms");
  await expect(field(page, "Target is")).toHaveValue("lte");
  await expect(field(page, "Due date")).toHaveValue(DUE);
  await expect(page.getByTestId("offer-summary")).toHaveCount(0);
});

test("on a phone the feedback sits under the statement and above the submit button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, ADMIN);
  await page.goto("/commitments/new");
  await field(page, STATEMENT_LABEL).fill(VAGUE);
  await expect(page.getByTestId("marked-statement")).toBeVisible();
  const textBox = await field(page, STATEMENT_LABEL).boundingBox();
  const feedback = await page.locator("#statement-feedback").boundingBox();
  const submit = await page.getByRole("button", { name: "Commit" }).boundingBox();
  expect(textBox && feedback && submit).toBeTruthy();
  expect(feedback!.y).toBeGreaterThan(textBox!.y);
  expect(feedback!.y - (textBox!.y + textBox!.height)).toBeLessThan(80);
  expect(feedback!.y + feedback!.height).toBeLessThan(submit!.y);
});

test("without JavaScript the vague words are marked after submitting, and what was typed stays", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await field(page, "Email").fill(ADMIN.email);
    await field(page, "Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/\/login/);
    await page.goto("/commitments/new");
    await field(page, STATEMENT_LABEL).fill(VAGUE);
    await field(page, "Period").selectOption(PERIOD.label);
    await field(page, "Due date").fill(DUE);
    await field(page, "Team").selectOption({ label: TEAM.name });
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page).toHaveURL(/\/commitments\/new$/);
    await expect(field(page, STATEMENT_LABEL)).toHaveValue(VAGUE);
    await expect(page.getByTestId("marked-statement").locator("mark")).toHaveText(["Improve", "significantly"]);
    await expect(page.getByTestId("lint-top").locator("li").first()).toHaveAttribute("data-code", "STATEMENT.VAGUE_TERM");
    // "Show all" is a <details>: it opens without JavaScript.
    await page.locator(".lint__more summary").click();
    await expect(page.locator(".lint__more li").first()).toBeVisible();
  } finally {
    await context.close();
  }
});
