// A reader subscribes to the letters on the public site (double opt-in), and unsubscribes.
// No SMTP in browser tests: the links are read from Settings → Outbox, as an admin would.
// Sets up what it needs and uses a fresh address, so it runs alone, in any order, and again.
import { type Browser, type Page } from "@playwright/test";
import { expect, expectAccessible, expectFieldError, expectNoHorizontalScroll, field, signInAsAdmin, test } from "./fixtures";

/**
 * The text of the newest outbox message to `address` that contains `marker`, read as the admin
 * sees it. A queue job writes the mail shortly after the request, so this polls the outbox.
 */
async function mailTo(admin: Page, address: string, marker: RegExp): Promise<string> {
  let text = "";
  await expect(async () => {
    await admin.goto("/settings/outbox");
    const message = admin.getByRole("listitem").filter({ hasText: `To ${address}` }).first();
    await message.locator("summary").click({ timeout: 2_000 });
    text = (await message.locator("pre").textContent({ timeout: 2_000 })) ?? "";
    expect(text).toMatch(marker);
  }).toPass({ timeout: 60_000 });
  return text;
}

async function anonymousPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test("double opt-in for the letters, then unsubscribe deletes the address", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const address = `reader-${Date.now()}@example.com`;
  const reader = await anonymousPage(browser);

  await reader.goto("/subscribe");
  await expectAccessible(reader, "/subscribe");
  await expectNoHorizontalScroll(reader, "/subscribe");
  const email = field(reader, "Your email address");
  await email.fill("not an address");
  await reader.getByRole("button", { name: "Subscribe" }).click();
  await expectFieldError(email, "Enter an email address like name@example.com.");
  await expect(email).toHaveValue("not an address");
  await email.fill(address);
  await reader.getByRole("button", { name: "Subscribe" }).click();
  await expect(reader.getByRole("status")).toContainText(`we sent a message to ${address}`);

  const confirmation = await mailTo(page, address, /\/subscribe\/confirm\//);
  const link = /\/subscribe\/confirm\/[A-Za-z0-9_-]+/.exec(confirmation)?.[0];
  expect(link, "the confirmation mail carries a link").toBeTruthy();
  await reader.goto(link!);
  await expectAccessible(reader, "confirmation page");
  await reader.getByRole("button", { name: "Confirm" }).click();
  await expect(reader.getByRole("status")).toContainText(`Confirmed: ${address}`);
  // The same link again: a clear page, not an error.
  await reader.goto(link!);
  await expect(reader.getByRole("status")).toContainText("already used");

  await page.goto("/settings/subscribers");
  await expectAccessible(page, "/settings/subscribers");
  await expect(page.getByRole("definition").first()).not.toHaveText("0");

  // Subscribing again tells the address's owner (only them) that it already subscribes, with the way out.
  await reader.goto("/subscribe");
  await field(reader, "Your email address").fill(address);
  await reader.getByRole("button", { name: "Subscribe" }).click();
  await expect(reader.getByRole("status")).toContainText(`we sent a message to ${address}`);
  const notice = await mailTo(page, address, /\/unsubscribe\//);
  const unsubscribe = /\/unsubscribe\/[A-Za-z0-9_-]+/.exec(notice)?.[0];
  expect(unsubscribe, "the notice carries the unsubscribe link").toBeTruthy();
  await reader.goto(unsubscribe!);
  await reader.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(reader.getByRole("status")).toContainText(`${address} is unsubscribed and deleted`);

  // Gone: the export no longer has it.
  const csv = await page.request.get("/settings/subscribers.csv");
  expect(csv.status()).toBe(200);
  expect(await csv.text()).not.toContain(address);
});
