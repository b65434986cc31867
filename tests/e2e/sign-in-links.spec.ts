// Accounts end to end (ADR 0018): an invitation link → choosing a password → signing in;
// changing one's password; an admin's reset link; the sessions list and "sign out everywhere
// else". The person's side runs without JavaScript (so does the admin issuing a reset link),
// every page touched is checked with axe at 1280 and 390 px and for sideways scrolling, and
// screenshots are kept with the results. Each test makes the people it needs, so it passes
// alone and in any order.
import type { Browser, Page } from "@playwright/test";
import {
  ADMIN,
  expect,
  expectAccessible,
  expectFieldError,
  expectNoHorizontalScroll,
  field,
  keepScreenshot,
  newContextWithoutJavaScript,
  personPath,
  setUpIfEmpty,
  signIn,
  test,
} from "./fixtures";

const run = Date.now().toString(36);

// Each test walks several people through many pages and checks every one at two widths (a
// page without JavaScript in a copy of its own): longer than the suite's default allows.
test.describe.configure({ timeout: 240_000 });

/** The admin, signed in (setting Kept up first when this spec runs alone on an empty database). */
async function adminPage(browser: Browser, options: { javaScript: boolean } = { javaScript: true }): Promise<Page> {
  const setup = await (await browser.newContext()).newPage();
  const setUpNow = await setUpIfEmpty(setup);
  if (options.javaScript && setUpNow) return setup;
  await setup.context().close();
  const context = options.javaScript ? await browser.newContext() : await newContextWithoutJavaScript(browser);
  const page = await context.newPage();
  await signIn(page, ADMIN);
  return page;
}

/** Every page this spec touches: axe at both widths, no sideways scrolling at 390 px, a screenshot of each. */
async function checkPage(page: Page, what: string) {
  const previous = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 1280, height: 720 });
  await expectAccessible(page, `${what} (1280 px)`);
  await keepScreenshot(page, `${what} 1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, `${what} (390 px)`);
  await expectNoHorizontalScroll(page, what);
  await keepScreenshot(page, `${what} 390`);
  await page.setViewportSize(previous);
}

/**
 * The policy a browser applies from a Referrer-Policy header: the last policy it knows in the
 * list (the site-wide header and the page's own both arrive, in that order).
 */
function effectiveReferrerPolicy(header: string | undefined): string | null {
  const known = new Set([
    "no-referrer",
    "no-referrer-when-downgrade",
    "same-origin",
    "origin",
    "strict-origin",
    "origin-when-cross-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
  ]);
  // Playwright joins repeated headers with a line break; a browser reads them as one list.
  const tokens = (header ?? "").split(/[,\n]/).map((t) => t.trim().toLowerCase());
  return tokens.filter((t) => known.has(t)).at(-1) ?? null;
}

/** Adds a person without a password through the People page; returns the invitation link shown once. */
async function invite(page: Page, name: string, email: string): Promise<string> {
  await page.goto("/people");
  await field(page, "Name").fill(name);
  await field(page, "Email").fill(email);
  await field(page, "Role").selectOption("member");
  await page.getByRole("button", { name: "Add person" }).click();
  const notice = page.getByTestId("issued-link");
  await expect(notice).toContainText(`${name} is invited.`);
  await expect(notice).toContainText("Mail is not set up on this server");
  const url = (await page.getByTestId("issued-link-url").textContent())?.trim() ?? "";
  expect(url).toMatch(/\/set-password\/[A-Za-z0-9_-]{43}$/);
  return url;
}

/** A browser with no session and no JavaScript: the person's own device. */
async function personPage(browser: Browser): Promise<Page> {
  const context = await newContextWithoutJavaScript(browser);
  return context.newPage();
}

async function signInAs(page: Page, email: string, password: string) {
  await page.goto("/login");
  await field(page, "Email").fill(email);
  await field(page, "Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
}

async function choosePassword(page: Page, url: string, password: string) {
  await page.goto(url);
  await field(page, "New password").fill(password);
  await field(page, "Type it again").fill(password);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByRole("status")).toHaveText("Your password is set. Sign in with it.");
}

test("an invitation link lets a new person choose a password and sign in, once", async ({ browser }) => {
  const admin = await adminPage(browser);
  const email = `ivy-${run}@kept.test`;
  const url = await invite(admin, "Ivy Invitee", email);
  await expect(admin.getByRole("row", { name: /Ivy Invitee/ })).toContainText("Invited");
  await checkPage(admin, "People with a new invitation shown");

  // The person's page says the invitation is pending and offers to re-issue or withdraw it.
  await admin.getByRole("link", { name: "Open Ivy Invitee's page" }).click();
  await expect(admin.getByTestId("sign-in-status")).toContainText("Invitation pending");
  await expect(admin.getByRole("button", { name: "Re-issue invitation" })).toBeVisible();
  await expect(admin.getByRole("button", { name: "Withdraw the link" })).toBeVisible();
  await checkPage(admin, "Person page with an invitation pending");

  const ivy = await personPage(browser);
  const opened = await ivy.goto(url);
  expect(opened?.headers()["cache-control"]).toContain("no-store");
  // Not no-referrer: a browser then posts the form with Origin: null, which the cross-origin guard refuses.
  expect(effectiveReferrerPolicy(opened?.headers()["referrer-policy"])).toBe("same-origin");
  // One header, the page's own: not the site-wide default followed by the page's.
  const policies = (await opened!.headersArray()).filter((h) => h.name.toLowerCase() === "referrer-policy");
  expect(policies.map((h) => h.value)).toEqual(["same-origin"]);
  await expect(ivy.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ivy Invitee");
  await checkPage(ivy, "Choose your password");

  // Two different passwords: the error sits beside the second field; nothing is spent.
  await ivy.setViewportSize({ width: 390, height: 844 });
  await field(ivy, "New password").fill("ivy's own passphrase");
  await field(ivy, "Type it again").fill("ivy's own passphrase, but different");
  await ivy.getByRole("button", { name: "Set password" }).click();
  await expectFieldError(field(ivy, "Type it again"), "The two passwords differ");
  await expect(ivy.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ivy Invitee");
  await checkPage(ivy, "Choose your password with an error");
  await ivy.setViewportSize({ width: 1280, height: 720 });

  await choosePassword(ivy, url, "ivy's own passphrase");
  await checkPage(ivy, "Sign in after choosing a password");
  await expect(field(ivy, "Email")).toHaveValue(email);
  await field(ivy, "Password").fill("ivy's own passphrase");
  await ivy.getByRole("button", { name: "Sign in" }).click();
  await expect(ivy).toHaveURL(/\/$/);
  await expect(ivy.getByRole("button", { name: "Sign out" })).toBeVisible();

  // Replayed: a clear page, not a form.
  const replay = await ivy.goto(url);
  expect(replay?.status()).toBe(410);
  await expect(ivy.getByRole("heading", { level: 1 })).toHaveText("This link has already been used");
  await expect(ivy.getByLabel("New password")).toHaveCount(0);
  await checkPage(ivy, "A used link");

  await admin.reload();
  await expect(admin.getByTestId("sign-in-status")).toHaveText("Has chosen a password.");
});

test("changing a password needs the current one, keeps this session and signs out the others", async ({ browser }) => {
  const admin = await adminPage(browser);
  const email = `cai-${run}@kept.test`;
  const phone = await personPage(browser);
  await choosePassword(phone, await invite(admin, "Cai Changer", email), "cai first passphrase");
  await signInAs(phone, email, "cai first passphrase");
  const laptop = await personPage(browser);
  await signInAs(laptop, email, "cai first passphrase");

  await laptop.goto("/account");
  await expect(laptop.getByRole("heading", { level: 1 })).toHaveText("Your account");
  await checkPage(laptop, "Account");

  await laptop.setViewportSize({ width: 390, height: 844 });
  await field(laptop, "Current password").fill("not my password");
  await field(laptop, "New password").fill("cai second passphrase");
  await field(laptop, "Type the new password again").fill("cai second passphrase");
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expectFieldError(field(laptop, "Current password"), "That is not your current password.");
  await checkPage(laptop, "Account with a wrong current password");

  // Nothing changed: the other device is still signed in, the first password still the one.
  await phone.goto("/account");
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText("Your account");

  await field(laptop, "Current password").fill("cai first passphrase");
  await field(laptop, "New password").fill("cai second passphrase");
  await field(laptop, "Type the new password again").fill("cai second passphrase");
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.getByRole("status")).toHaveText("Password changed. Signed out of 1 other session.");
  await expect(laptop.getByTestId("session")).toHaveCount(1);
  await checkPage(laptop, "Account after changing the password");

  // The other device is signed out; the new password is the one that works, the old one not.
  await phone.goto("/account");
  await expect(phone).toHaveURL(/\/login\?redirectTo=%2Faccount/);
  await field(phone, "Email").fill(email);
  await field(phone, "Password").fill("cai first passphrase");
  await phone.getByRole("button", { name: "Sign in" }).click();
  await expect(phone).toHaveURL(/\/login/);
  await expectFieldError(field(phone, "Password"), "That email and password do not match an active account.");
  await signInAs(phone, email, "cai second passphrase");
});

test("an admin's reset link, issued without JavaScript, sets a new password and ends the old sessions; a replay gets a clear page", async ({ browser }) => {
  const admin = await adminPage(browser);
  const email = `rex-${run}@kept.test`;
  const rex = await personPage(browser);
  await choosePassword(rex, await invite(admin, "Rex Resetter", email), "rex first passphrase");
  await signInAs(rex, email, "rex first passphrase");

  const nojs = await adminPage(browser, { javaScript: false });
  await nojs.goto(await personPath(nojs, "Rex Resetter"));
  await expect(nojs.getByTestId("sign-in-status")).toHaveText("Has chosen a password.");
  await nojs.getByRole("button", { name: "Issue a password reset link" }).click();
  await expect(nojs.getByTestId("issued-link")).toContainText("A reset link for Rex Resetter is ready.");
  const withdrawn = (await nojs.getByTestId("issued-link-url").textContent())?.trim() ?? "";
  await expect(nojs.getByTestId("sign-in-status")).toContainText("A password reset link is open until");
  await checkPage(nojs, "Person page with a reset link shown");

  // Withdrawn, then issued again: only the newest link works.
  await nojs.getByRole("button", { name: "Withdraw the link" }).click();
  await expect(nojs.getByTestId("sign-in-status")).toHaveText("Has chosen a password.");
  await nojs.getByRole("button", { name: "Issue a password reset link" }).click();
  await expect(nojs.getByTestId("issued-link")).toContainText("A reset link for Rex Resetter is ready.");
  const url = (await nojs.getByTestId("issued-link-url").textContent())?.trim() ?? "";
  expect(url).not.toBe(withdrawn);

  const fresh = await personPage(browser);
  const old = await fresh.goto(withdrawn);
  expect(old?.status()).toBe(410);
  await expect(fresh.getByRole("heading", { level: 1 })).toHaveText("This link was withdrawn");

  await fresh.goto(url);
  await expect(fresh.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
  await checkPage(fresh, "Choose a new password");
  await choosePassword(fresh, url, "rex second passphrase");

  await rex.goto("/account");
  await expect(rex).toHaveURL(/\/login/);
  await signInAs(rex, email, "rex second passphrase");

  const replay = await fresh.goto(url);
  expect(replay?.status()).toBe(410);
  await expect(fresh.getByRole("heading", { level: 1 })).toHaveText("This link has already been used");
  const unknown = await fresh.goto(url.replace(/.{4}$/, "AAAA"));
  expect(unknown?.status()).toBe(404);
  await expect(fresh.getByRole("heading", { level: 1 })).toHaveText("This link does not work");
  await checkPage(fresh, "An unknown link");
});

test("the account page lists this person's sessions, signs out one, then everywhere else", async ({ browser }) => {
  const admin = await adminPage(browser);
  const email = `sol-${run}@kept.test`;
  const first = await personPage(browser);
  await choosePassword(first, await invite(admin, "Sol Sessions", email), "sol own passphrase");
  // Another device with JavaScript and one without: both are ended from here.
  const others = [await (await browser.newContext()).newPage(), await personPage(browser)];
  for (const page of [first, ...others]) await signInAs(page, email, "sol own passphrase");

  await first.goto("/account");
  const sessions = first.getByTestId("session");
  await expect(sessions).toHaveCount(3);
  await expect(sessions.filter({ hasText: "This session" })).toHaveCount(1);
  await expect(sessions.first()).toContainText("Chrome on Linux");
  await checkPage(first, "Account with three sessions");

  // Sessions are listed most recently used first: the JavaScript device is the older one now.
  await others[1]!.goto("/");
  await first.reload();
  await sessions.filter({ hasNotText: "This session" }).last().getByRole("button", { name: /^Sign out of/ }).click();
  await expect(first.getByRole("status")).toHaveText("That session is signed out.");
  await expect(first.getByTestId("session")).toHaveCount(2);
  await others[0]!.goto("/account");
  await expect(others[0]!).toHaveURL(/\/login/);

  await first.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(first.getByRole("status")).toHaveText("Signed out of 1 other session.");
  await expect(first.getByTestId("session")).toHaveCount(1);
  await expect(first.getByText("You are signed in only here.")).toBeVisible();
  await checkPage(first, "Account with one session");

  await others[1]!.goto("/account");
  await expect(others[1]!).toHaveURL(/\/login/);
  // This one is still signed in.
  await first.goto("/account");
  await expect(first.getByRole("heading", { level: 1 })).toHaveText("Your account");
});
