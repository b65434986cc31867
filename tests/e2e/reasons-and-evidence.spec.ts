// A reason or evidence that says nothing is refused in the browser with the error beside the
// field, and nothing typed is lost (issue 11, section 4): a re-scope reason of "." and
// evidence of "https://n/a". Runs alone (it sets Kept up and makes its own team) or after the
// other specs.
import type { Locator, Page } from "@playwright/test";
import { addDays, quarterContaining, today } from "./calendar";
import { ADMIN, expect, expectAccessible, expectFieldError, field, openOutcomeForm, signIn, signInAsAdmin, test } from "./fixtures";

const PERIOD = quarterContaining(today()); // contains today, so the commitment is locked
const DUE = PERIOD.end;
const TEAM = { name: "Evidence Desk", slug: "evidence-desk" };
const STATEMENT = `Answer 95% of EU support tickets within four hours by ${DUE}.`;
const METRIC = {
  name: "Share of EU support tickets answered within four hours",
  // What a re-scope changes here: the measure's name, which the statement does not quote (a
  // new target would also need a new statement, or the linter refuses the disagreement).
  newName: "Share of EU support tickets given a first human answer within four hours",
  baseline: "80",
  target: "95",
  unit: "%",
};
const GOOD_REASON = "Two of the six support engineers moved to the new onboarding team for the quarter.";

function control(scope: Locator, label: string): Locator {
  return scope.getByLabel(label, { exact: true });
}

test.beforeAll(async ({ browser }, testInfo) => {
  if (process.env.KEPT_E2E_SKIP) return;
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const page = await context.newPage();
    await signInAsAdmin(page);
    // A worker restarted after a failure runs this again: the commitment may already exist.
    await page.goto(`/commitments?q=${encodeURIComponent("support tickets")}`);
    if ((await page.getByRole("link", { name: STATEMENT, exact: true }).count()) > 0) return;
    if ((await page.goto(`/teams/${TEAM.slug}`))?.status() !== 200) {
      await page.goto("/teams");
      await field(page, "Name").fill(TEAM.name);
      await field(page, "Address (slug)").fill(TEAM.slug);
      await page.getByRole("button", { name: "Create team" }).click();
      await expect(page).toHaveURL(new RegExp(`/teams/${TEAM.slug}\\?created=1$`));
    }

    await page.goto("/commitments/new");
    await field(page, "Commitment (one sentence, the words customers will read)").fill(STATEMENT);
    await field(page, "What is measured").fill(METRIC.name);
    await field(page, "Baseline (today)").fill(METRIC.baseline);
    await field(page, "Target is").selectOption({ label: "at least (≥)" });
    await field(page, "Target").fill(METRIC.target);
    await field(page, "Unit").fill(METRIC.unit);
    await field(page, "Evidence source (how anyone can verify it)").fill("The support desk's weekly SLA report");
    await field(page, "Period").selectOption(PERIOD.label);
    await field(page, "Due date").fill(DUE);
    await field(page, "Team").selectOption({ label: TEAM.name });
    await page.getByRole("radio", { name: /^Public/ }).check();
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  } finally {
    await context.close();
  }
});

async function openCommitment(page: Page) {
  await signIn(page, ADMIN);
  await page.goto(`/commitments?q=${encodeURIComponent("support tickets")}`);
  await page.getByRole("table").getByRole("link", { name: STATEMENT, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(STATEMENT);
}

test("a re-scope reason of “.” is refused beside the reason, and what was typed stays", async ({ page }) => {
  await openCommitment(page);
  // "Re-scope" once the period has started and the commitment is locked, "Edit" before.
  await page.getByRole("link", { name: /^(Edit|Re-scope)$/ }).click();
  const reason = page.getByLabel(/^Why are you changing it\?/);
  await field(page, "What is measured").fill(METRIC.newName);
  await reason.fill(".");
  const refusal = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: /^Save/ }).click();
  const status = (await refusal).status();
  expect(status, "a placeholder reason is refused with a 4xx").toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  await expectFieldError(reason, /Write at least a sentence/);
  await expect(reason).toHaveValue(".");
  await expect(field(page, "What is measured")).toHaveValue(METRIC.newName);
  await expect(field(page, "Commitment (one sentence, the words customers will read)")).toHaveValue(STATEMENT);
  await expectAccessible(page, "the edit page with a placeholder reason");

  await reason.fill(GOOD_REASON);
  await page.getByRole("button", { name: /^Save/ }).click();
  await expect(page).toHaveURL(/\?edited=rescoped$/);
});

test("evidence of https://n/a is refused beside the evidence link, and what was typed stays", async ({ page }) => {
  await openCommitment(page);
  const outcome = page.getByRole("region", { name: "Outcome", exact: true });
  await openOutcomeForm(page);
  await control(outcome, "Outcome").selectOption({ label: "Delivered" });
  await control(outcome, "Resolved on").fill(addDays(today(), 0));
  await control(outcome, "Actual value (optional)").fill("96");
  const evidence = control(outcome, "Evidence link (required when delivered)");
  await evidence.fill("https://n/a");
  const refusal = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: "Record outcome" }).click();
  const status = (await refusal).status();
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  await expectFieldError(evidence, /a full web address on a real domain/);
  await expect(evidence).toHaveValue("https://n/a");
  await expect(control(outcome, "Outcome")).toHaveValue("delivered");
  await expect(control(outcome, "Actual value (optional)")).toHaveValue("96");
  await expect(outcome).toContainText("No outcome yet.");
  await expectAccessible(page, "the commitment page with an evidence error");

  await evidence.fill("https://support.example.com/reports/sla-eu");
  await page.getByRole("button", { name: "Record outcome" }).click();
  await expect(page).toHaveURL(/\?saved=outcome$/);
  await expect(outcome.locator(".outcome .badge")).toHaveText("Delivered");
});
