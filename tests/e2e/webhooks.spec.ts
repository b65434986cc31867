// An admin adds a webhook, copies its secret once, opens the endpoint's own page and changes it.
// The endpoint page once rendered the list page instead (its route was nested in the list's,
// which has no outlet); route-module tests could not see that, a browser does.
// The endpoint is a receiver this spec starts on 127.0.0.1 (the e2e server allows private
// targets), so a letter another spec publishes meanwhile is delivered inside this machine.
import { expect, expectAccessible, expectFieldError, expectNoHorizontalScroll, field, signInAsAdmin, test } from "./fixtures";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

test("add a webhook, see its secret once, open and change it, then delete it", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const address = `${receiver.base}/hook-${Date.now()}`;

  await page.goto("/settings/webhooks");
  await expectAccessible(page, "/settings/webhooks");
  const url = field(page, "URL");
  // A cloud metadata address is refused even where private targets are allowed.
  await url.fill("http://169.254.169.254/latest/meta-data");
  await page.getByLabel("A letter is published (letter.published)").check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(url).toHaveValue("http://169.254.169.254/latest/meta-data");
  await expect(url).toHaveAttribute("aria-invalid", "true");

  await url.fill(address);
  await page.getByRole("button", { name: "Add webhook" }).click();
  const secret = page.getByTestId("new-webhook-secret");
  await expect(secret).toHaveText(/^whsec_/);

  await page.getByRole("link", { name: `Open ${address}` }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(address);
  await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
  // The secret is not shown again.
  await expect(page.getByText(/whsec_/)).toHaveCount(0);
  await expectAccessible(page, "webhook endpoint page");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoHorizontalScroll(page, "webhook endpoint page");
  await page.setViewportSize({ width: 1280, height: 800 });

  const description = field(page, "Description (optional)");
  await description.fill("ERP bridge");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  await page.reload();
  await expect(field(page, "Description (optional)")).toHaveValue("ERP bridge");

  const editUrl = field(page, "URL");
  await editUrl.fill("not a url");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectFieldError(editUrl, /https/i);
  await expect(editUrl).toHaveValue("not a url");

  await page.getByRole("button", { name: /^Delete/ }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByText(address)).toHaveCount(0);
});
