// The commitments list's owner filter with JavaScript switched off (the "no-javascript"
// project): a search field, not a select of every person. Part of a name typed in and sent
// with "Apply" finds that person's commitments; the field keeps what was typed; text that
// matches nobody is an empty list, not an error. The spec writes its own team, person and
// commitment, so it passes alone and in any order.
import { quarterContaining, today } from "./calendar";
import { ADMIN, ensurePerson, ensureTeam, expect, expectAccessible, field, setUpIfEmpty, signIn, test } from "./fixtures";

const PERIOD = quarterContaining(today());
const TEAM = { name: "Owner Search", slug: "owner-search" };
const OWNER = { name: "Quillon Ownersearch", email: "quillon-ownersearch@kept.test", password: "quillon-pass-123" };
const STATEMENT = `Answer 95% of owner-search support tickets within 4 hours by ${PERIOD.end}.`;

test.beforeEach(async ({ page }, testInfo) => {
  expect(testInfo.project.use.javaScriptEnabled, "this file runs with JavaScript off").toBe(false);
  if (!(await setUpIfEmpty(page))) await signIn(page, ADMIN);
});

test("the owner filter finds a person's commitments from part of their name, without JavaScript", async ({ page }) => {
  test.setTimeout(120_000);
  await ensureTeam(page, TEAM);
  await ensurePerson(page, OWNER, "member");
  await page.goto(`/commitments?q=${encodeURIComponent("owner-search support tickets")}&year=all`);
  if ((await page.getByRole("link", { name: STATEMENT }).count()) === 0) {
    await page.goto("/commitments/new");
    await field(page, "Commitment (one sentence, the words customers will read)").fill(STATEMENT);
    await field(page, "What is measured").fill("Share of support tickets answered within 4 hours");
    await field(page, "Baseline (today)").fill("80");
    await field(page, "Target is").selectOption({ label: "at least (≥)" });
    await field(page, "Target").fill("95");
    await field(page, "Unit").fill("%");
    await field(page, "Evidence source (how anyone can verify it)").fill("Support desk report on the status page");
    await field(page, "Period").selectOption(PERIOD.label);
    await field(page, "Due date").fill(PERIOD.end);
    await field(page, "Team").selectOption({ label: TEAM.name });
    await field(page, "Owner (directly responsible)").selectOption({ label: OWNER.name });
    await page.getByRole("radio", { name: "Public" }).check();
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  }

  await page.goto("/commitments");
  // A text field: no option per person is rendered.
  await expect(page.locator("select[name=owner]")).toHaveCount(0);
  await page.locator("summary", { hasText: "More filters" }).click();
  await field(page, "Owner").fill("quillon OWNER");
  await field(page, "Fiscal year").selectOption("all");
  await page.getByRole("button", { name: "Apply" }).click();
  // Without JavaScript the form sends every field; the server answers with the clean address.
  await expect(page).toHaveURL(/[?&]owner=quillon\+OWNER(&|$)/);
  expect(new URL(page.url()).searchParams.get("year")).toBe("all");
  expect(page.url(), "no empty filters in the address").not.toMatch(/=(&|$)/);
  await expect(page.getByRole("link", { name: STATEMENT })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /commitments?/ })).toContainText(/^1 commitment/);
  await expect(field(page, "Owner")).toHaveValue("quillon OWNER");
  await expectAccessible(page, "the commitments list filtered by an owner search, without JavaScript");

  await field(page, "Owner").fill("nobody-is-called-this");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No commitments match these filters.")).toBeVisible();
  await expect(field(page, "Owner")).toHaveValue("nobody-is-called-this");
});
