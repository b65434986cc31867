// The forms that reach people and systems, with JavaScript switched off (the "no-javascript"
// project): webhook endpoints (add, change, delete), a reader's subscription (the public form and
// the confirmation page, then unsubscribing), and a team member's own pages — notification
// preferences with "Mail these again" after an unsubscribe link, the notifications list, a
// password change and signing out everywhere else. Mail is read from Settings → Outbox, as an
// admin would; each test uses addresses of its own run, so it passes alone and again.
import type { Browser, Page } from "@playwright/test";
import { quarterContaining, today } from "./calendar";
import { expect, expectAccessible, expectFieldError, field, newContextWithoutJavaScript, signIn, signInAsAdmin, test } from "./fixtures";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

const RUN = Date.now().toString(36);
const PERIOD = quarterContaining(today());

test.beforeEach(async ({ page }, testInfo) => {
  expect(testInfo.project.use.javaScriptEnabled, "this file runs with JavaScript off").toBe(false);
  await signInAsAdmin(page);
});

/** The text of the newest outbox message to `address` matching `marker` (a queue job writes it shortly after). */
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

async function pageWithoutScripts(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await newContextWithoutJavaScript(browser, { baseURL });
  return context.newPage();
}

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

test("a webhook is added, its secret shown once, changed and deleted without JavaScript", async ({ page }) => {
  test.setTimeout(120_000);
  // A receiver on 127.0.0.1 (the e2e server allows private targets): whatever another spec
  // publishes while this endpoint exists is delivered inside this machine.
  const address = `${receiver.base}/nojs-hook-${RUN}`;
  await page.goto("/settings/webhooks");
  const url = field(page, "URL");
  // A cloud metadata address is refused even where private targets are allowed.
  await url.fill("http://169.254.169.254/latest/meta-data");
  await page.getByLabel("A letter is published (letter.published)").check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expectFieldError(field(page, "URL"), /metadata/);
  await expect(field(page, "URL")).toHaveValue("http://169.254.169.254/latest/meta-data");
  await expect(page.getByLabel("A letter is published (letter.published)")).toBeChecked();

  await field(page, "URL").fill(address);
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByTestId("new-webhook-secret")).toHaveText(/^whsec_/);
  await page.getByRole("link", { name: `Open ${address}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(address);
  await expect(page.getByText(/whsec_/)).toHaveCount(0);

  await field(page, "Description (optional)").fill("ERP bridge, no scripts");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  await page.goto(page.url());
  await expect(field(page, "Description (optional)")).toHaveValue("ERP bridge, no scripts");

  await field(page, "URL").fill("not a url");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectFieldError(field(page, "URL"), /https/i);
  await expect(field(page, "URL")).toHaveValue("not a url");
  await expectAccessible(page, "a webhook refused beside its field, without JavaScript");

  await page.getByRole("button", { name: "Delete this webhook" }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByText(address)).toHaveCount(0);
});

test("a reader subscribes, confirms and unsubscribes without JavaScript", async ({ page, browser, baseURL }) => {
  test.setTimeout(150_000);
  const address = `nojs-reader-${RUN}@example.com`;
  const reader = await pageWithoutScripts(browser, baseURL);
  try {
    await reader.goto("/subscribe");
    const email = field(reader, "Your email address");
    await email.fill("not an address");
    await reader.getByRole("button", { name: "Subscribe" }).click();
    await expectFieldError(field(reader, "Your email address"), "Enter an email address like name@example.com.");
    await expect(field(reader, "Your email address")).toHaveValue("not an address");
    await field(reader, "Your email address").fill(address);
    await reader.getByRole("button", { name: "Subscribe" }).click();
    await expect(reader.getByRole("status")).toContainText(`we sent a message to ${address}`);
    await expectAccessible(reader, "/subscribe after a request, without JavaScript");

    const link = /\/subscribe\/confirm\/[A-Za-z0-9_-]+/.exec(await mailTo(page, address, /\/subscribe\/confirm\//))?.[0];
    expect(link, "the confirmation mail carries a link").toBeTruthy();
    await reader.goto(link!);
    await expectAccessible(reader, "the confirmation page, without JavaScript");
    await reader.getByRole("button", { name: "Confirm" }).click();
    await expect(reader.getByRole("status")).toContainText(`Confirmed: ${address}`);
    await reader.goto(link!);
    await expect(reader.getByRole("status")).toContainText("already used");

    // Asking again mails the way out; the unsubscribe page's one button deletes the address.
    await reader.goto("/subscribe");
    await field(reader, "Your email address").fill(address);
    await reader.getByRole("button", { name: "Subscribe" }).click();
    const unsubscribe = /\/unsubscribe\/[A-Za-z0-9_-]+/.exec(await mailTo(page, address, /\/unsubscribe\//))?.[0];
    expect(unsubscribe, "the notice carries the unsubscribe link").toBeTruthy();
    await reader.goto(unsubscribe!);
    await reader.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(reader.getByRole("status")).toContainText(`${address} is unsubscribed and deleted`);
  } finally {
    await reader.context().close();
  }
});

test("a member's own forms: notification preferences, mail stopped by a link and turned back on, notifications, password and sessions", async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  const name = `Nia Notified ${RUN}`;
  const email = `nia-${RUN}@kept.test`;
  const teamName = `Notices ${RUN}`;
  const slug = `notices-${RUN}`;

  // The admin makes a team and a member on it (the person's page puts them on the team).
  await page.goto("/teams");
  await field(page, "Name").fill(teamName);
  const slugField = field(page, "Address (slug)");
  if ((await slugField.count()) > 0) await slugField.fill(slug);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}\\?created=1$`));
  await page.goto("/people");
  await field(page, "Name").fill(name);
  await field(page, "Email").fill(email);
  await field(page, "Role").selectOption("member");
  await field(page, "Temporary password").fill("temporary-pass-123");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}\?added=1$/);
  await page.getByRole("combobox", { name: "Put on a team" }).selectOption({ label: teamName });
  await field(page, "Team role").selectOption("editor");
  await page.getByRole("button", { name: "Add to team" }).click();
  await expect(page.getByRole("status")).toHaveText("Added to the team.");

  const nia = await pageWithoutScripts(browser, baseURL);
  const elsewhere = await pageWithoutScripts(browser, baseURL);
  try {
    await signIn(nia, { email, password: "temporary-pass-123" });
    await signIn(elsewhere, { email, password: "temporary-pass-123" });

    // Preferences: every event by mail, as it comes.
    await nia.goto("/account/notifications");
    await nia.getByLabel("Outcome recorded or changed").check();
    await field(nia, "Mail").selectOption({ label: "Each reminder and event by mail, as it comes" });
    await nia.getByRole("button", { name: "Save preferences" }).click();
    await expect(nia.getByRole("status")).toHaveText("Preferences saved.");
    await nia.goto("/account/notifications");
    await expect(field(nia, "Mail")).toHaveValue("each");
    await expect(nia.getByLabel("Outcome recorded or changed")).toBeChecked();

    // The admin records an outcome on the team's commitment: Nia is told, in Kept and by mail.
    await page.goto("/commitments/new");
    await field(page, "Commitment (one sentence, the words customers will read)").fill(`Publish the ${RUN} notice runbook for every on-call engineer by ${PERIOD.end}.`);
    await page.getByRole("radio", { name: "A deliverable with an observable event" }).check();
    await field(page, "Observable event that proves delivery").fill("The runbook is in the handbook");
    await field(page, "Evidence source (how anyone can verify it)").fill("The team handbook");
    await field(page, "Period").selectOption(PERIOD.label);
    await field(page, "Due date").fill(PERIOD.end);
    await field(page, "Team").selectOption({ label: teamName });
    await page.getByRole("radio", { name: "Internal" }).check();
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page).toHaveURL(/\/commitments\/[0-9a-f-]{36}\?created=1$/);
    await page.goto(`${new URL(page.url()).pathname}?outcome=early`);
    const outcome = page.locator("form.outcome-form");
    await outcome.getByLabel("Outcome", { exact: true }).selectOption({ label: "Delivered" });
    await outcome.getByLabel("Evidence link (required when delivered)", { exact: true }).fill("https://example.com/handbook/notices");
    await outcome.getByRole("button", { name: "Record outcome" }).click();
    await expect(page).toHaveURL(/\?saved=outcome$/);

    const mail = await mailTo(page, email, /\/unsubscribe\//);
    const stop = /\/unsubscribe\/[A-Za-z0-9_-]+\?mail=outcome/.exec(mail)?.[0];
    expect(stop, "the notice's mail carries a link that stops this kind of mail").toBeTruthy();
    await nia.goto(stop!);
    await nia.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(nia.getByRole("status")).toContainText(`${email} gets no more notices of outcomes recorded or changed by mail`);

    // "Mail these again" turns it back on.
    await nia.goto("/account/notifications");
    const stopped = nia.getByRole("region", { name: "Mail you stopped with an unsubscribe link" });
    await expect(stopped.getByLabel("notices of outcomes recorded or changed")).toBeChecked();
    await expectAccessible(nia, "notification preferences with mail stopped, without JavaScript");
    await stopped.getByLabel("notices of outcomes recorded or changed").uncheck();
    await stopped.getByRole("button", { name: "Mail these again" }).click();
    await expect(nia.getByRole("region", { name: "Mail you stopped with an unsubscribe link" }).locator(".field__error, [role=alert]").first()).toBeVisible();
    await nia.getByRole("region", { name: "Mail you stopped with an unsubscribe link" }).getByLabel("notices of outcomes recorded or changed").check();
    await nia.getByRole("button", { name: "Mail these again" }).click();
    await expect(nia.getByRole("status")).toHaveText("Mail turned back on.");
    await expect(nia.getByRole("region", { name: "Mail you stopped with an unsubscribe link" })).toHaveCount(0);

    // The notification is in Kept too; marking all read empties the count.
    await nia.goto("/notifications");
    await expect(nia.getByRole("main")).toContainText("Outcome recorded");
    await nia.getByRole("button", { name: /^Mark all \d+ as read$/ }).click();
    await expect(nia.getByRole("button", { name: /^Mark all \d+ as read$/ })).toHaveCount(0);

    // A new password: the current one is checked first; the other session is signed out.
    await nia.goto("/account");
    await field(nia, "Current password").fill("not-the-password");
    await field(nia, "New password").fill("nia-chose-this-1");
    await field(nia, "Type the new password again").fill("nia-chose-this-1");
    await nia.getByRole("button", { name: "Change password" }).click();
    await expectFieldError(field(nia, "Current password"), /.+/);
    await field(nia, "Current password").fill("temporary-pass-123");
    await field(nia, "New password").fill("nia-chose-this-1");
    await field(nia, "Type the new password again").fill("nia-chose-this-1");
    await nia.getByRole("button", { name: "Change password" }).click();
    await expect(nia.getByRole("region", { name: "Change your password" }).getByRole("status")).toBeVisible();
    await elsewhere.goto("/account");
    await expect(elsewhere).toHaveURL(/\/login/);

    // Signed in a second time, then signed out there from here.
    await signIn(elsewhere, { email, password: "nia-chose-this-1" });
    await nia.goto("/account");
    await expect(nia.getByTestId("session")).toHaveCount(2);
    await nia.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(nia.getByRole("region", { name: "Where you are signed in" }).getByRole("status")).toBeVisible();
    await expect(nia.getByTestId("session")).toHaveCount(1);
    await elsewhere.goto("/account");
    await expect(elsewhere).toHaveURL(/\/login/);
  } finally {
    await nia.context().close();
    await elsewhere.context().close();
  }
});
