// An admin's remaining forms with JavaScript switched off (the "no-javascript" project): a
// person's role, sign-in links (reset, withdraw) and deactivation; the organisation's
// notification defaults; the record check; the webhooks' private-target setting; and opening a
// retrospective from its index. Each is sent for real and its effect read back; what a test
// changes in shared settings it puts back.
import { expect, expectAccessible, expectFieldError, field, signInAsAdmin, test } from "./fixtures";

const RUN = Date.now().toString(36);

test.beforeEach(async ({ page }, testInfo) => {
  expect(testInfo.project.use.javaScriptEnabled, "this file runs with JavaScript off").toBe(false);
  await signInAsAdmin(page);
});

test("a person's role, sign-in links and deactivation are changed on their page", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `Rhea Roles ${RUN}`;
  await page.goto("/people");
  await field(page, "Name").fill(name);
  await field(page, "Email").fill(`rhea-${RUN}@kept.test`);
  await field(page, "Role").selectOption("member");
  await field(page, "Temporary password").fill("temporary-pass-123");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}\?added=1$/);
  const person = new URL(page.url()).pathname;

  const manage = page.getByRole("region", { name: "Manage" });
  await manage.getByLabel("Role", { exact: true }).selectOption("viewer");
  await manage.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByRole("status")).toHaveText("Role changed.");
  await expect(page.locator("dl.facts")).toContainText("viewer");

  // A reset link is shown once to pass on; withdrawn, it no longer works.
  await page.getByRole("button", { name: "Issue a password reset link" }).click();
  await expect(page.getByTestId("sign-in-status")).toContainText("A password reset link is open until");
  const link = ((await page.getByTestId("issued-link-url").textContent()) ?? "").trim();
  expect(link, "the reset link is shown to pass on").toMatch(/\/set-password\/[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Withdraw the link" }).click();
  await expect(page.getByRole("status")).toHaveText("Link withdrawn. It no longer works.");
  expect((await page.request.get(new URL(link).pathname)).status()).toBeGreaterThanOrEqual(400);

  await page.getByRole("button", { name: `Deactivate ${name}` }).click();
  await expect(page.getByRole("status")).toHaveText("Deactivated. Their sessions have ended.");
  await page.getByRole("button", { name: `Reactivate ${name}` }).click();
  await expect(page.getByRole("status")).toHaveText("Reactivated. They can sign in again.");
  await page.goto(person);
  await expect(page.locator("dl.facts")).toContainText("Active");
  await expectAccessible(page, "a person's page after changes, without JavaScript");
});

test("notification defaults, the record check and the webhooks' private-target setting are saved", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/settings/notifications");
  const cadence = field(page, "Remind owners to check in after this many days without one");
  const before = await cadence.inputValue();
  await cadence.fill("0");
  await page.getByRole("button", { name: "Save defaults" }).click();
  await expectFieldError(field(page, "Remind owners to check in after this many days without one"), /.+/);
  await expect(field(page, "Remind owners to check in after this many days without one")).toHaveValue("0");
  await field(page, "Remind owners to check in after this many days without one").fill("10");
  await page.getByRole("button", { name: "Save defaults" }).click();
  await expect(page.getByRole("status")).toHaveText("Defaults saved.");
  await page.goto("/settings/notifications");
  await expect(field(page, "Remind owners to check in after this many days without one")).toHaveValue("10");
  await field(page, "Remind owners to check in after this many days without one").fill(before);
  await page.getByRole("button", { name: "Save defaults" }).click();
  await expect(page.getByRole("status")).toHaveText("Defaults saved.");

  await page.goto("/settings/record");
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByRole("status").first()).toContainText("Record intact");

  await page.goto("/settings/webhooks");
  const allow = page.getByLabel("Allow private targets and plain http (closed networks and tests only)");
  const allowed = await allow.isChecked();
  await allow.setChecked(!allowed);
  await page.getByRole("region", { name: "Private targets" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Webhook settings saved.");
  await page.goto("/settings/webhooks");
  await expect(page.getByLabel("Allow private targets and plain http (closed networks and tests only)")).toBeChecked({ checked: !allowed });
  await page.getByLabel("Allow private targets and plain http (closed networks and tests only)").setChecked(allowed);
  await page.getByRole("region", { name: "Private targets" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Webhook settings saved.");
});

test("a retrospective is opened from the index by team and period", async ({ page }) => {
  await page.goto("/retrospectives");
  const period = field(page, "Period");
  const chosen = await period.locator("option").nth(1).getAttribute("value");
  await period.selectOption(chosen!);
  const scope = await field(page, "Team (with its sub-teams)").inputValue();
  await page.getByRole("button", { name: "Open retrospective" }).click();
  await expect(page).toHaveURL(new RegExp(`/retrospectives/${scope}/${chosen}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(chosen!);
});
