// The person pickers with JavaScript (ADR 0029): the team page's member picker and a
// commitment's owner are text fields that suggest up to ten matching people as one types
// (a native <datalist> filled from /people/suggestions), never a list of everyone. The file
// makes its own team and people, named after its run, so it passes alone and in any order.
import { quarterContaining, today } from "./calendar";
import { ensurePerson, ensureTeam, expect, expectAccessible, field, signInAsAdmin, test } from "./fixtures";

const RUN = Date.now().toString(36);
const TEAM = { name: "Picker Team", slug: "picker-team" };
const PEOPLE = [
  { name: `Pickerel ${RUN} Jones`, email: `pickerel-jones-${RUN}@kept.test`, password: "picker-password-1" },
  { name: `Pickerel ${RUN} Smith`, email: `pickerel-smith-${RUN}@kept.test`, password: "picker-password-2" },
];
const PERIOD = quarterContaining(today());
const label = (p: { name: string; email: string }) => `${p.name} <${p.email}>`;

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page);
  await ensureTeam(page, TEAM);
  for (const person of PEOPLE) await ensurePerson(page, person, "member");
});

test("the member picker suggests the matching people as one types, and adds the one chosen", async ({ page }) => {
  await page.goto(`/teams/${TEAM.slug}`);
  const form = page.getByRole("region", { name: "Add a member" });
  const person = form.getByLabel("Person", { exact: true });
  // Nobody is listed before anything is typed.
  await expect(form.locator("datalist option")).toHaveCount(0);
  await expect(form.locator("select option")).toHaveCount(2);
  await person.pressSequentially(`pickerel ${RUN}`);
  await expect(form.locator("datalist option")).toHaveCount(2);
  await expect(form.locator("datalist option").nth(0)).toHaveAttribute("value", label(PEOPLE[0]!));
  await expect(form.locator("datalist option").nth(1)).toHaveAttribute("value", label(PEOPLE[1]!));
  await expectAccessible(page, "the member picker with its suggestions");
  // Typing more narrows the suggestions to one.
  await person.pressSequentially(" sm");
  await expect(form.locator("datalist option")).toHaveCount(1);
  // Choosing a suggestion puts its label in the field, as the browser does.
  await person.fill(label(PEOPLE[1]!));
  await form.getByLabel("Team role", { exact: true }).selectOption("viewer");
  await form.getByRole("button", { name: "Add member" }).click();
  const members = page.getByRole("table", { name: `Members of ${TEAM.name}` });
  await expect(members.getByRole("row", { name: new RegExp(PEOPLE[1]!.name) })).toContainText("Viewer: reads");
  // A member is no longer suggested for this team.
  await person.pressSequentially(`pickerel ${RUN}`);
  await expect(form.locator("datalist option")).toHaveCount(1);
  await expect(form.locator("datalist option")).toHaveAttribute("value", label(PEOPLE[0]!));
  await page.getByRole("button", { name: `Remove ${PEOPLE[1]!.name}` }).click();
  await expect(members.getByRole("row", { name: new RegExp(PEOPLE[1]!.name) })).toHaveCount(0);
});

test("an ambiguous owner is refused beside the field with the matches to choose from", async ({ page }) => {
  await page.goto("/commitments/new");
  const owner = field(page, "Owner (directly responsible)");
  await expect(owner).not.toHaveValue("");
  await field(page, "Commitment (one sentence, the words customers will read)").fill(`Publish the picker runbook ${RUN} on the wiki by the end of the quarter`);
  await page.getByRole("radio", { name: "A deliverable with an observable event" }).check();
  await field(page, "Observable event that proves delivery").fill("The runbook page is published");
  await field(page, "Evidence source (how anyone can verify it)").fill("The wiki's page history");
  await field(page, "Team").selectOption({ label: TEAM.name });
  await field(page, "Period").selectOption(PERIOD.label);
  await field(page, "Due date").fill(PERIOD.end);
  await owner.fill(`pickerel ${RUN}`);
  await expect(page.locator("datalist option")).toHaveCount(2);
  await page.getByRole("button", { name: "Commit" }).click();
  const error = page.locator(".person-picker .field__error");
  await expect(error).toHaveText(`2 people match “pickerel ${RUN}”: choose one below, or type more of the name or e-mail.`);
  await expect(owner).toHaveValue(`pickerel ${RUN}`);
  await expect(owner).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "the owner picker listing the matches of an ambiguous name");
  await page.getByRole("radio", { name: new RegExp(PEOPLE[0]!.name) }).check();
  await page.getByRole("button", { name: "Commit" }).click();
  await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByText(PEOPLE[0]!.name).first()).toBeVisible();
});
