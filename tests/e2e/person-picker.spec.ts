// The person pickers with JavaScript (ADR 0029): the team page's member picker and a
// commitment's owner are text fields that suggest up to ten matching people as one types
// (a native <datalist> filled from /people/suggestions), never a list of everyone; the
// commitments list's team filter suggests teams the same way (/suggestions/teams). The file
// makes its own team and people, named after its run, so it passes alone and in any order.
import { quarterContaining, today } from "./calendar";
import { ensurePerson, ensureTeam, expect, expectAccessible, expectNoHorizontalScroll, field, keepScreenshot, signInAsAdmin, test } from "./fixtures";

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

test("the owner picker works by keyboard alone, with a visible focus ring, on a desktop and a phone", async ({ page }) => {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/commitments/new");
    await field(page, "Commitment (one sentence, the words customers will read)").fill(`Publish the keyboard runbook ${RUN} at ${width} px on the wiki by the end of the quarter`);
    await page.getByRole("radio", { name: "A deliverable with an observable event" }).check();
    await field(page, "Observable event that proves delivery").fill("The runbook page is published");
    await field(page, "Evidence source (how anyone can verify it)").fill("The wiki's page history");
    await field(page, "Period").selectOption(PERIOD.label);
    await field(page, "Due date").fill(PERIOD.end);
    await field(page, "Team").selectOption({ label: TEAM.name });
    const owner = field(page, "Owner (directly responsible)");
    // From here on only the keyboard: Tab from the team reaches the owner, and shows where focus is.
    await field(page, "Team").focus();
    await page.keyboard.press("Tab");
    await expect(owner).toBeFocused();
    const ring = await owner.evaluate((element) => {
      const style = getComputedStyle(element);
      return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
    });
    expect(ring.style, "the focused owner field shows a focus ring").not.toBe("none");
    expect(ring.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.type(`pickerel ${RUN}`);
    await expect(page.locator("datalist option")).toHaveCount(2);
    await keepScreenshot(page, `owner picker suggesting at ${width} px`);
    // Enter in the text field sends the form; the name fits two people.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Enter");
    const error = page.locator(".person-picker .field__error");
    await expect(error).toHaveText(`2 people match “pickerel ${RUN}”: choose one below, or type more of the name or e-mail.`);
    await expect(owner).toBeFocused();
    const matches = page.getByRole("group", { name: "Matching people" });
    await expect(matches.getByRole("radio")).toHaveCount(2);
    await keepScreenshot(page, `owner picker listing matches at ${width} px`);
    await expectNoHorizontalScroll(page, `the owner picker's matches at ${width} px`);
    // Tab moves into the matches, an arrow key chooses the second, and Enter there sends the form.
    await page.keyboard.press("Tab");
    await expect(matches.getByRole("radio").first()).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(matches.getByRole("radio", { name: new RegExp(PEOPLE[1]!.name) })).toBeChecked();
    await page.keyboard.press("Shift+Tab");
    await expect(owner).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
    await expect(page.getByText(PEOPLE[1]!.name).first()).toBeVisible();
  }
});

test("the commitments list's team filter suggests teams as one types, and a chosen one filters the list", async ({ page }) => {
  await page.goto("/commitments");
  const filters = page.getByRole("search", { name: "Filter commitments" });
  const team = field(page, "Team (with sub-teams)");
  // On a narrow window the filter is behind "More filters".
  if (!(await team.isVisible())) await page.locator("summary", { hasText: "More filters" }).click();
  await expect(filters.locator("#filter-team-suggestions option")).toHaveCount(0);
  await team.pressSequentially("picker te");
  await expect(filters.locator("#filter-team-suggestions option")).toHaveCount(1);
  await expect(filters.locator("#filter-team-suggestions option")).toHaveAttribute("value", TEAM.name);
  await expectAccessible(page, "the team filter with its suggestions");
  // Choosing the suggestion puts the team's name in the field; sent, the list is that team's.
  await team.fill(TEAM.name);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]team=${TEAM.slug}(&|$)`));
  await expect(field(page, "Team (with sub-teams)")).toHaveValue(TEAM.name);
});
