// A form whose answer never comes back loses nothing (ADR 0058): when Kept cannot answer a
// submission (played here by answering the form's request 503 in the browser, as a proxy does
// while the server is away, or by dropping the connection), the error page says that no answer
// from Kept arrived and that what was typed is kept, and the form opened
// again is filled in with it — everything but a password. Once an answer arrives, nothing is
// kept: the form opens empty.
import { ADMIN, expect, expectAccessible, field, signIn, signInAsAdmin, test } from "./fixtures";

/** The browser's request for a route's data when a form on it is sent (single fetch). */
const dataRequestOf = (path: string) => new RegExp(`${path.replace(/\//g, "\\/")}\\.data(\\?|$)`);

// Run alone, the spec sets the instance up first.
test.beforeAll(async ({ browser }, testInfo) => {
  if (process.env.KEPT_E2E_SKIP) return;
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    await signInAsAdmin(await context.newPage());
  } finally {
    await context.close();
  }
});

test("a team typed in while Kept cannot answer is kept, put back into the form, and sent once Kept is back", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/teams");
  const suffix = Date.now().toString(36);
  const team = { name: `Unsent Payments ${suffix}`, slug: `unsent-payments-${suffix}` };
  await field(page, "Name").fill(team.name);
  await field(page, "Address (slug)").fill(team.slug);

  await page.route(dataRequestOf("/teams"), (route) =>
    route.request().method() === "POST" ? route.fulfill({ status: 503, contentType: "text/plain", body: "Service unavailable" }) : route.continue(),
  );
  await page.getByRole("button", { name: "Create team" }).click();
  // The proxy's page is not Kept's answer: the error page says so rather than claiming a logged error.
  await expect(page.getByRole("heading", { level: 1, name: "Kept's answer did not arrive" })).toBeVisible();
  const kept = page.getByText("What you typed is kept in this browser tab.");
  await expect(kept).toBeVisible();
  await expectAccessible(page, "the error page with a kept submission");
  await page.unroute(dataRequestOf("/teams"));

  await page.getByRole("link", { name: "Back to the form" }).click();
  await expect(page).toHaveURL(/\/teams$/);
  await expect(page.getByRole("status").filter({ hasText: "What you typed before the error is back in the form below." })).toBeVisible();
  await expect(field(page, "Name")).toHaveValue(team.name);
  await expect(field(page, "Address (slug)")).toHaveValue(team.slug);
  await expectAccessible(page, "/teams with a submission put back");

  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${team.slug}\\?created=1$`));
  // Answered: nothing is kept, and the form opens as it always does.
  await page.goto("/teams");
  await expect(field(page, "Name")).toHaveValue("");
  await expect(page.getByText("What you typed before the error is back")).toHaveCount(0);
});

test("a password is never kept: signing in again after the connection dropped has the email back, and the password to type again", async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await field(page, "Email").fill(ADMIN.email);
    await field(page, "Password").fill(ADMIN.password);
    // The connection drops: the browser's fetch fails without any answer.
    await page.route(dataRequestOf("/login"), (route) => (route.request().method() === "POST" ? route.abort("connectionreset") : route.continue()));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Kept's answer did not arrive" })).toBeVisible();
    await expect(page.getByText("No answer from Kept")).toBeVisible();
    await expect(page.getByText("What you typed is kept in this browser tab.")).toBeVisible();
    const stored = await page.evaluate(() => window.sessionStorage.getItem("kept:unsent-submission") ?? "");
    expect(stored).toContain(ADMIN.email);
    expect(stored).not.toContain(ADMIN.password);
    await page.unroute(dataRequestOf("/login"));

    await page.getByRole("link", { name: "Back to the form" }).click();
    await expect(field(page, "Email")).toHaveValue(ADMIN.email);
    await expect(field(page, "Password")).toHaveValue("");
  } finally {
    await context.close();
  }
});
