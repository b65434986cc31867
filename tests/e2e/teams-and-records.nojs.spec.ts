// The forms of teams, people and the record with JavaScript switched off (the "no-javascript"
// project): a team's edit page and its members, a person's page putting them on a team, the CSV
// import (pasted and as a file), editing a commitment whose period has not begun, changing a
// recorded outcome, and promoting a retrospective's action item to a commitment. Each form is
// sent for real, a refusal comes back beside its field with what was typed, and the effect is
// read back. Each test sets up what it needs under names of its own run, so it passes alone.
import type { Page } from "@playwright/test";
import { addDays, quarterContaining, today } from "./calendar";
import { ADMIN, expect, expectAccessible, expectFieldError, field, signInAsAdmin, test } from "./fixtures";

const RUN = Date.now().toString(36);
const PERIOD = quarterContaining(today());
const NEXT = quarterContaining(addDays(PERIOD.end, 1));

test.beforeEach(async ({ page }, testInfo) => {
  expect(testInfo.project.use.javaScriptEnabled, "this file runs with JavaScript off").toBe(false);
  await signInAsAdmin(page);
});

/** Creates a team through the Teams page; returns its address (slug). */
async function makeTeam(page: Page, name: string): Promise<string> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  await page.goto("/teams");
  await field(page, "Name").fill(name);
  const slugField = field(page, "Address (slug)");
  if ((await slugField.count()) > 0) await slugField.fill(slug);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}\\?created=1$`));
  return slug;
}

/** Adds a person with a temporary password through the People page; returns their page. */
async function addPerson(page: Page, name: string, email: string): Promise<string> {
  await page.goto("/people");
  await field(page, "Name").fill(name);
  await field(page, "Email").fill(email);
  await field(page, "Role").selectOption("member");
  await field(page, "Temporary password").fill("temporary-pass-123");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}\?added=1$/);
  return new URL(page.url()).pathname;
}

/** Writes a public deliverable commitment through /commitments/new; returns its page. */
async function commit(page: Page, team: string, statement: string, period: { label: string; end: string }) {
  await page.goto("/commitments/new");
  await field(page, "Commitment (one sentence, the words customers will read)").fill(statement);
  await page.getByRole("radio", { name: "A deliverable with an observable event" }).check();
  await field(page, "Observable event that proves delivery").fill("The release is listed in the public changelog");
  await field(page, "Evidence source (how anyone can verify it)").fill("The public changelog");
  await field(page, "Period").selectOption(period.label);
  await field(page, "Due date").fill(period.end);
  await field(page, "Team").selectOption({ label: team });
  await page.getByRole("radio", { name: "Public" }).check();
  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  return new URL(page.url()).pathname;
}

test("a team is edited, a person is put on it from their page, and members are added and removed", async ({ page }) => {
  test.setTimeout(120_000);
  const teamName = `Ledger Ops ${RUN}`;
  const slug = await makeTeam(page, teamName);
  const personName = `Nico Noscript ${RUN}`;
  const person = await addPerson(page, personName, `nico-${RUN}@kept.test`);

  // The person's page: no team chosen is refused beside the field; then they join as an editor.
  await page.goto(person);
  await expect(page.getByRole("main")).toContainText("Not on any team yet");
  await page.getByRole("button", { name: "Add to team" }).click();
  await expectFieldError(page.getByRole("combobox", { name: "Put on a team" }), /.+/);
  await page.getByRole("combobox", { name: "Put on a team" }).selectOption({ label: teamName });
  await field(page, "Team role").selectOption("editor");
  await page.getByRole("button", { name: "Add to team" }).click();
  await expect(page.getByRole("status")).toHaveText("Added to the team.");
  await expect(page.getByRole("main").getByRole("link", { name: teamName })).toHaveAttribute("href", `/teams/${slug}`);
  await expectAccessible(page, "a person's page after joining a team, without JavaScript");

  // The team's edit page: a bad address is refused beside it, keeping what was typed.
  await page.goto(`/teams/${slug}/edit`);
  await field(page, "Mission (one line)").fill("Keep the books the public reads.");
  await field(page, "Address (slug)").fill("Not An Address!");
  await page.getByRole("button", { name: "Save team" }).click();
  await expectFieldError(field(page, "Address (slug)"), /.+/);
  await expect(field(page, "Mission (one line)")).toHaveValue("Keep the books the public reads.");
  const renamed = `${teamName} and Audit`;
  await field(page, "Name").fill(renamed);
  await field(page, "Address (slug)").fill(`${slug}-audit`);
  await page.getByRole("button", { name: "Save team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}-audit\\?saved=1$`));
  await expect(page.getByRole("status")).toHaveText("Team saved.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(renamed);
  await expect(page.getByRole("main")).toContainText("Keep the books the public reads.");

  // Members: the person is listed; removed, then added back as a viewer.
  const members = page.getByRole("region", { name: "Members" });
  await expect(members.getByRole("row", { name: new RegExp(personName) })).toContainText("Editor");
  await page.getByRole("button", { name: `Remove ${personName}` }).click();
  await expect(members.getByRole("row", { name: new RegExp(personName) })).toHaveCount(0);
  const addForm = page.getByRole("region", { name: "Add a member" });
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expectFieldError(addForm.getByLabel("Person", { exact: true }), /.+/);
  await addForm.getByLabel("Person", { exact: true }).fill(`nico-${RUN}@kept.test`);
  await addForm.getByLabel("Team role", { exact: true }).selectOption("viewer");
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expect(members.getByRole("row", { name: new RegExp(personName) })).toContainText("Viewer: reads");
  await expectAccessible(page, "a team's home after membership changes, without JavaScript");
});

test("the member and owner pickers resolve what was typed: an ambiguous name lists the matches to choose from", async ({ page }) => {
  const teamName = `Nojs Picker ${RUN}`;
  const slug = await makeTeam(page, teamName);
  const twins = [
    { name: `Quill ${RUN} Ames`, email: `quill-ames-${RUN}@kept.test` },
    { name: `Quill ${RUN} Bell`, email: `quill-bell-${RUN}@kept.test` },
  ];
  for (const p of twins) await addPerson(page, p.name, p.email);
  await page.goto(`/teams/${slug}`);
  const addForm = page.getByRole("region", { name: "Add a member" });
  const person = addForm.getByLabel("Person", { exact: true });
  await expect(addForm.locator("datalist option")).toHaveCount(0);
  // Nobody matches: the error says so and keeps the text.
  await person.fill(`nobody ${RUN}`);
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expectFieldError(person, `No active person who is not on this team yet matches “nobody ${RUN}”. Type part of their name or e-mail.`);
  await expect(person).toHaveValue(`nobody ${RUN}`);
  // Two match: both are offered as choices beside the field.
  await person.fill(`quill ${RUN}`);
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expectFieldError(person, `2 people match “quill ${RUN}”: choose one below, or type more of the name or e-mail.`);
  await expect(person).toHaveValue(`quill ${RUN}`);
  const choices = addForm.getByRole("group", { name: "Matching people" }).getByRole("radio");
  await expect(choices).toHaveCount(2);
  await expectAccessible(page, "the member picker listing two matches, without JavaScript");
  await addForm.getByRole("radio", { name: new RegExp(twins[1]!.name) }).check();
  await addForm.getByRole("button", { name: "Add member" }).click();
  const members = page.getByRole("region", { name: "Members" });
  await expect(members.getByRole("row", { name: new RegExp(twins[1]!.name) })).toContainText("Editor");
  // Now only the other one is not on the team: the same text names them alone.
  await addForm.getByLabel("Person", { exact: true }).fill(`quill ${RUN}`);
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expect(members.getByRole("row", { name: new RegExp(twins[0]!.name) })).toContainText("Editor");

  // The owner picker: a commitment written for this team, owned by the one typed by e-mail.
  const path = await commit(page, teamName, `Publish the nojs picker runbook ${RUN} on the wiki by the end of the quarter`, PERIOD);
  await page.goto(`${path}/edit`);
  const owner = field(page, "Owner (directly responsible)");
  await expect(owner).toHaveValue(ADMIN.name);
  await owner.fill(twins[0]!.email);
  await page.getByRole("button", { name: /^Save/ }).click();
  await expect(page).toHaveURL(/\?edited=/);
  await page.goto(`${path}/edit`);
  await expect(field(page, "Owner (directly responsible)")).toHaveValue(twins[0]!.name);
  // Cleared: no owner.
  await field(page, "Owner (directly responsible)").fill("");
  await page.getByRole("button", { name: /^Save/ }).click();
  await expect(page).toHaveURL(/\?edited=/);
  await page.goto(`${path}/edit`);
  await expect(field(page, "Owner (directly responsible)")).toHaveValue("");
});

test("commitments are imported from CSV, pasted or as a file, with the dry run naming the bad line", async ({ page }) => {
  test.setTimeout(120_000);
  const slug = await makeTeam(page, `Imports ${RUN}`);
  await page.goto(`/teams/${slug}/import`);
  const header = "statement,measure_kind,deliverable_event,evidence_source,due_date,period,audience,tags";
  const row = (words: string, due: string) => `"${words} by ${PERIOD.end}",deliverable,"Listed in the public changelog",The public changelog,${due},${PERIOD.label},internal,Imports`;
  const pasted = `Publish the ${RUN} import runbook`;
  const csv = field(page, "Or paste the CSV");
  await csv.fill(`${header}\n${row(pasted, "someday")}\n`);
  await page.getByRole("button", { name: "Check (dry run)" }).click();
  await expect(page.getByRole("heading", { name: "1 line needs fixing" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "due_date" }).getByRole("cell").first()).toHaveText("2");
  await expect(csv).toHaveValue(/someday/);
  await expectAccessible(page, "CSV import with a bad line, without JavaScript");

  await csv.fill(`${header}\n${row(pasted, PERIOD.end)}\n`);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}/import\\?imported=1$`));
  await expect(page.getByRole("status")).toContainText("Imported 1 commitment");

  // A file is used instead of the text: checked, then imported.
  const fromFile = `Publish the ${RUN} file import guide`;
  await page.getByLabel("CSV file").setInputFiles({ name: "commitments.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n${row(fromFile, PERIOD.end)}\n`) });
  await page.getByRole("button", { name: "Check (dry run)" }).click();
  await expect(page.getByRole("status")).toContainText("All 1 row can be imported");
  await expect(field(page, "Or paste the CSV")).toHaveValue(new RegExp(fromFile));
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Imported 1 commitment");
  await page.goto(`/teams/${slug}`);
  await expect(page.getByRole("main").getByRole("link", { name: new RegExp(pasted) })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: new RegExp(fromFile) })).toBeVisible();
});

test("a commitment not yet begun is edited freely, and a recorded outcome is changed with a reason", async ({ page }) => {
  test.setTimeout(150_000);
  const teamName = `Edits ${RUN}`;
  await makeTeam(page, teamName);

  // Next quarter's commitment is not locked: it is edited without a reason, and it is no re-scope.
  const later = await commit(page, teamName, `Ship the ${RUN} bulk export to every customer by ${NEXT.end}.`, NEXT);
  await page.goto(`${later}/edit`);
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeVisible();
  const statement = field(page, "Commitment (one sentence, the words customers will read)");
  await statement.fill("");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expectFieldError(statement, /.+/);
  await statement.fill(`Ship the ${RUN} bulk export, CSV and JSON, to every customer by ${NEXT.end}.`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${later}\\?edited=edited$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Ship the ${RUN} bulk export, CSV and JSON, to every customer by ${NEXT.end}.`);
  await expect(page.getByRole("region", { name: "Re-scoped: original beside current" })).toHaveCount(0);

  // This quarter's: delivered, then changed to missed — which needs the reasons and why it changed.
  const now = await commit(page, teamName, `Publish the ${RUN} audit trail for every account by ${PERIOD.end}.`, PERIOD);
  await page.goto(`${now}?outcome=early`);
  const record = page.locator("form.outcome-form");
  await record.getByLabel("Outcome", { exact: true }).selectOption({ label: "Delivered" });
  await record.getByLabel("Evidence link (required when delivered)", { exact: true }).fill("https://example.com/changelog/audit-trail");
  await record.getByRole("button", { name: "Record outcome" }).click();
  await expect(page).toHaveURL(/\?saved=outcome$/);
  const outcome = page.getByRole("region", { name: "Outcome" });
  await expect(outcome).toContainText("Delivered");

  const summary = page.locator("details.action > summary", { hasText: /^Change the outcome$/ });
  await summary.click();
  const change = page.locator("form.outcome-form");
  await change.getByLabel("Outcome", { exact: true }).selectOption({ label: "Missed" });
  await change.getByLabel("Primary reason", { exact: true }).selectOption({ index: 1 });
  await change.getByLabel("Was it in our control?", { exact: true }).selectOption({ index: 1 });
  await change.getByLabel("What happened (Markdown)", { exact: true }).fill("The trail missed the accounts migrated in October.");
  await change.getByLabel("What we learned (Markdown)", { exact: true }).fill("Check migrated accounts before calling it delivered.");
  await change.getByRole("button", { name: "Change outcome" }).click();
  const why = page.getByLabel("Why are you changing a recorded outcome? (required)", { exact: true });
  await expectFieldError(why, /.+/);
  await expect(page.locator("form.outcome-form").getByLabel("What happened (Markdown)", { exact: true })).toHaveValue("The trail missed the accounts migrated in October.");
  await why.fill("Migrated accounts were found without a trail after we recorded it.");
  await page.locator("form.outcome-form").getByRole("button", { name: "Change outcome" }).click();
  await expect(page).toHaveURL(/\?saved=outcome$/);
  await expect(outcome).toContainText("Missed");
  await expect(outcome).toContainText("The trail missed the accounts migrated in October.");
  await expectAccessible(page, "a commitment whose outcome was changed, without JavaScript");
});

test("a retrospective's action item is promoted to a commitment", async ({ page }) => {
  test.setTimeout(120_000);
  const teamName = `Retros ${RUN}`;
  const slug = await makeTeam(page, teamName);
  await page.goto(`/retrospectives/${slug}/${PERIOD.label}`);
  const item = `Write the ${RUN} settlement checklist for every card scheme by ${NEXT.end}.`;
  await field(page, "What will be done").fill(item);
  await page.getByRole("button", { name: "Add action item" }).click();
  await expect(page).toHaveURL(/\?saved=add-action$/);

  await page.getByRole("link", { name: `Promote to a commitment: ${item}` }).click();
  await expect(page).toHaveURL(/\/commitments\/new\?fromAction=[0-9a-f-]{36}$/);
  const statement = field(page, "Commitment (one sentence, the words customers will read)");
  await expect(statement).toHaveValue(item);
  await page.getByRole("radio", { name: "A deliverable with an observable event" }).check();
  await field(page, "Observable event that proves delivery").fill("The checklist is published in the handbook");
  await field(page, "Evidence source (how anyone can verify it)").fill("The team handbook");
  await field(page, "Period").selectOption(NEXT.label);
  await field(page, "Due date").fill(NEXT.end);
  await field(page, "Team").selectOption({ label: teamName });
  await page.getByRole("radio", { name: "Internal" }).check();
  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  const created = new URL(page.url()).pathname;
  await expect(page.getByRole("main")).toContainText("Promoted from an action item of the");

  // The retrospective shows it became that commitment, and offers no second promotion.
  await page.goto(`/retrospectives/${slug}/${PERIOD.label}`);
  const entry = page.getByRole("listitem").filter({ hasText: item });
  await expect(entry.getByRole("link", { name: "a commitment" })).toHaveAttribute("href", created);
  await expect(page.getByRole("link", { name: `Promote to a commitment: ${item}` })).toHaveCount(0);
});
