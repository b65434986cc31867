// Reaching people, in the browser: an owner's notification preferences keep what was chosen,
// an admin's defaults refuse a bad cadence beside the field, and every new page passes axe
// and fits a phone. Sets up what it needs, so it runs alone or after the other specs.
import { expect, expectAccessible, expectFieldError, expectNoHorizontalScroll, field, signInAsAdmin, test } from "./fixtures";

test("notification preferences, defaults, outbox and failed jobs", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);

  await page.goto("/account/notifications");
  await page.getByLabel(/Past due/).uncheck();
  await field(page, "Mail").selectOption({ label: "Only the weekly digest by mail" });
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByRole("status")).toHaveText("Preferences saved.");
  await page.reload();
  await expect(page.getByLabel(/Past due/)).not.toBeChecked();
  await expect(field(page, "Mail")).toHaveValue("digest");

  await page.goto("/settings/notifications");
  const cadence = field(page, "Remind owners to check in after this many days without one");
  await cadence.fill("0");
  await page.getByRole("button", { name: "Save defaults" }).click();
  await expectFieldError(cadence, "At least 1 day.");
  await expect(cadence).toHaveValue("0");
  await cadence.fill("10");
  await page.getByRole("button", { name: "Save defaults" }).click();
  await expect(page.getByRole("status")).toHaveText("Defaults saved.");

  for (const path of ["/notifications", "/account/notifications", "/settings/notifications", "/settings/outbox", "/settings/jobs", "/settings", "/unsubscribe/not-a-real-token-at-all"]) {
    const response = await page.goto(path);
    expect.soft(response?.status(), `status of ${path}`).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectAccessible(page, path);
    await expectNoHorizontalScroll(page, path);
  }

  // An unknown unsubscribe link says so, with 404, and changes nothing.
  await page.goto("/unsubscribe/not-a-real-token-at-all");
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByRole("alert")).toContainText("not valid");
});
