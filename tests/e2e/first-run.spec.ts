// An admin on an empty instance of its own (playwright.config.ts, the "first-run" project):
// setup guesses the browser's time zone, and the dashboard's checklist follows what is really
// done — a team (its address made from its name), a person put on it from their page, the
// first commitment (written from the team's home, the team chosen), the settings reviewed —
// then folds away. Checked at 1280 and 390 px with axe on the way.
import type { Page } from "@playwright/test";
import { expect, expectAccessible, expectNoHorizontalScroll, field, test } from "./fixtures";

const ADMIN = { name: "Fran First", email: "fran@first.test", password: "first-run-pass-123" };
const PERSON = { name: "Sam Second", email: "sam@first.test", password: "second-pass-123" };
const TEAM = { name: "Customer Success", slug: "customer-success" };
const STATEMENT = "Answer 95% of support tickets within 4 working hours, measured in the help desk report, by the end of the year";

test.use({ timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } });

function checklist(page: Page) {
  return page.getByRole("region", { name: /Getting started/ });
}

function step(page: Page, title: string) {
  return checklist(page).getByRole("listitem").filter({ hasText: title });
}

async function checkBothWidths(page: Page, what: string) {
  await expectAccessible(page, `${what} at 1280 px`);
  await expectNoHorizontalScroll(page, what);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, `${what} at 390 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("the first-run checklist follows an empty instance to its first commitment, then folds away", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  // Without scripts, setup's time zone starts on the server's (its TZ; unset here, so UTC).
  const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const plain = await noScript.newPage();
    await plain.goto("/setup");
    await expect(field(plain, "Time zone")).toHaveValue("UTC");
  } finally {
    await noScript.close();
  }
  await page.goto("/setup");
  // With scripts, the time zone starts as the browser's own.
  await expect(field(page, "Time zone")).toHaveValue("Europe/Berlin");
  await checkBothWidths(page, "setup");
  await field(page, "Organisation name").fill("First Light");
  await field(page, "Your name").fill(ADMIN.name);
  await field(page, "Email").fill(ADMIN.email);
  await field(page, "Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Set up Kept" }).click();
  await expect(page).toHaveURL(/\/$/);

  // Nothing yet: every step points somewhere, and "publish nothing yet" is not a task.
  await expect(checklist(page).getByRole("heading")).toHaveText("Getting started (1 of 5 done)");
  await expect(page.getByText("You are not an editor of any team")).toHaveCount(0);
  await expect(step(page, "Create a team").getByRole("link", { name: "Create the first team" })).toHaveAttribute("href", "/teams");
  await expect(step(page, "Write the first commitment").getByRole("link")).toHaveAttribute("href", "/commitments/new");
  await expect(step(page, "Publish nothing yet")).toContainText("(done)");
  await checkBothWidths(page, "the dashboard of an empty instance");

  // Writing a commitment before there is a team says what to do first, with the link.
  await page.goto("/commitments/new");
  await expect(page.getByRole("main").getByRole("link", { name: "Create the first team" })).toHaveAttribute("href", "/teams");
  await page.goto("/commitments");
  await expect(page.getByRole("main")).toContainText("No commitments yet.");
  await expect(page.getByRole("main").getByRole("link", { name: "Write the first one" })).toHaveAttribute("href", "/commitments/new");
  await checkBothWidths(page, "the empty commitments list");

  // A team: its address follows the name as it is typed.
  await page.goto("/");
  await step(page, "Create a team").getByRole("link").click();
  await expect(page).toHaveURL(/\/teams$/);
  await field(page, "Name").pressSequentially(TEAM.name);
  await expect(field(page, "Address (slug)")).toHaveValue(TEAM.slug);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${TEAM.slug}\\?created=1$`));
  await expect(page.getByRole("heading", { level: 2, name: "Commitments (0)" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Write its first commitment" })).toBeVisible();
  await checkBothWidths(page, "a new team's home");

  await page.goto("/");
  await expect(step(page, "Create a team")).toContainText("(done)");
  await expect(step(page, "Add people and give them a team")).toContainText("(to do)");

  // A person, then a team for them, from their own page.
  await step(page, "Add people and give them a team").getByRole("link").click();
  await field(page, "Name").fill(PERSON.name);
  await field(page, "Email").fill(PERSON.email);
  await field(page, "Role").selectOption("member");
  await field(page, "Temporary password").fill(PERSON.password);
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}\?added=1$/);
  await page.goto("/");
  await expect(step(page, "Add people and give them a team")).toContainText("1 person is on no team yet.");
  await page.goBack();
  await page.getByRole("combobox", { name: "Put on a team" }).selectOption({ label: TEAM.name });
  await field(page, "Team role").selectOption("editor");
  await page.getByRole("button", { name: "Add to team" }).click();
  await expect(page.getByRole("status")).toHaveText("Added to the team.");
  await expect(page.getByRole("main").getByRole("link", { name: TEAM.name })).toBeVisible();
  await checkBothWidths(page, "a person's page");

  await page.goto("/");
  await expect(step(page, "Add people and give them a team")).toContainText("(done)");

  // The first commitment, from the team's home: the team is already chosen.
  await page.goto(`/teams/${TEAM.slug}`);
  await page.getByRole("link", { name: "New commitment for this team" }).click();
  await expect(field(page, "Team").locator("option:checked")).toHaveText(TEAM.name);
  await field(page, "Commitment (one sentence, the words customers will read)").fill(STATEMENT);
  await field(page, "What is measured").fill("Tickets answered within 4 working hours");
  await field(page, "Baseline (today)").fill("70");
  await field(page, "Target is").selectOption({ label: "at least (≥)" });
  await field(page, "Target").fill("95");
  await field(page, "Unit").fill("%");
  await field(page, "Evidence source (how anyone can verify it)").fill("Help desk monthly report");
  const year = `FY${new Date().getUTCFullYear()}`;
  await field(page, "Period").selectOption(year);
  await field(page, "Due date").fill(`${new Date().getUTCFullYear()}-12-31`);
  await page.getByRole("radio", { name: /^Internal/ }).check();
  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);

  // The dashboard counts it at once: mine, this quarter's, the year's.
  await page.goto("/");
  await expect(step(page, "Write the first commitment")).toContainText("(done)");
  await expect(page.getByRole("region", { name: /Your open commitments \(1\)/ }).getByRole("link", { name: STATEMENT })).toBeVisible();
  await expect(page.getByRole("main")).toContainText(`of 1 made, 0 delivered in full`);

  // The team's home lists it under its period, with the year's delivery figure.
  await page.goto(`/teams/${TEAM.slug}`);
  await expect(page.getByRole("heading", { level: 2, name: "Commitments (1)" })).toBeVisible();
  await expect(page.getByRole("region", { name: new RegExp(`^${year} \\(1\\)$`) }).getByRole("link", { name: STATEMENT })).toBeVisible();
  await expect(page.getByRole("region", { name: `How ${TEAM.name} delivers` })).toContainText("of 1 made, 0 delivered in full");
  await checkBothWidths(page, "a team's home with a commitment");

  // The list opens on what is under way now (the year is), newest first, with a count, at a
  // clean address; "Apply" with nothing chosen keeps it clean.
  await page.goto("/commitments");
  await expect(page.getByRole("status").filter({ hasText: /^1 commitment under way now/ })).toContainText(year);
  await expect(field(page, "Fiscal year")).toHaveValue("now");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/\/commitments$/);
  // The whole year is still one choice away.
  await field(page, "Fiscal year").selectOption(year);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`/commitments\\?year=${year}$`));
  await expect(page.getByText(`1 commitment in ${year}`)).toBeVisible();

  // Reviewing the settings (the public minimum) is the last step; then the checklist folds.
  await page.goto("/");
  await step(page, "Set the public minimum score").getByRole("link").click();
  await expect(page).toHaveURL(/\/settings$/);
  await page.getByRole("button", { name: /^Save/ }).first().click();
  // The save has to land before the dashboard is asked: navigating at once can cancel the post.
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await page.goto("/");
  await expect(checklist(page)).toHaveCount(0);
  const folded = page.locator("details.first-run");
  await expect(folded.locator("summary")).toHaveText("Getting started: all 5 steps done");
  await expect(folded).not.toHaveAttribute("open");
  await checkBothWidths(page, "the dashboard once started");
});

test("without JavaScript an empty address is made from the name, and empty list filters leave the address", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    // Alone, this test starts on the empty instance: setup works without scripts too.
    if ((await page.goto("/setup"))?.status() === 200) {
      await field(page, "Organisation name").fill("First Light");
      await field(page, "Your name").fill(ADMIN.name);
      await field(page, "Email").fill(ADMIN.email);
      await field(page, "Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Set up Kept" }).click();
      await expect(page).toHaveURL(/\/$/);
    } else {
      await page.goto("/login");
      await field(page, "Email").fill(ADMIN.email);
      await field(page, "Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
    }
    await page.goto("/teams");
    await field(page, "Name").fill("Data Platform");
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(/\/teams\/data-platform\?created=1$/);

    await page.goto("/commitments");
    await field(page, "Search").fill("tickets");
    await page.getByRole("button", { name: "Apply" }).click();
    const url = new URL(page.url());
    expect(url.pathname).toBe("/commitments");
    // Only what was chosen: the search and the year shown; no empty team=, status=, owner=…
    expect([...url.searchParams.keys()].sort()).toEqual(["q", "year"]);
  } finally {
    await context.close();
  }
});
