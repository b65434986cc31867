// Shared test object and helpers for Kept's browser tests.
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from "@playwright/test";

export const test = base.extend<{ skipWithoutBrowser: void }>({
  // playwright.config.ts sets KEPT_E2E_SKIP when no Chromium is installed (outside CI);
  // skipping here, before any browser fixture is set up, avoids a launch error.
  skipWithoutBrowser: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, testInfo) => {
      testInfo.skip(Boolean(process.env.KEPT_E2E_SKIP), process.env.KEPT_E2E_SKIP);
      await use();
    },
    { auto: true },
  ],
});

export { expect };

/** The people the tests create. The admin comes from first-run setup. */
export const ORG_NAME = "Acme Widgets";
export const ADMIN = { name: "Ada Admin", email: "ada@kept.test", password: "correct horse battery staple" };
export const MEMBER = { name: "Mo Member", email: "mo@kept.test", password: "member-pass-123" };
export const VIEWER = { name: "Vi Viewer", email: "vi@kept.test", password: "viewer-pass-123" };
export const LEAVER = { name: "Dee Parted", email: "dee@kept.test", password: "leaver-pass-123" };

/** A form control found by its exact visible label (so "Name" does not match "Your name"). */
export function field(page: Page, label: string): Locator {
  return page.getByLabel(label, { exact: true });
}

/**
 * Asserts the control is marked invalid and its error message sits beside it (same .field
 * wrapper) and is announced through aria-describedby.
 */
export async function expectFieldError(control: Locator, message: string | RegExp) {
  // Read in one go and retried until it holds: a reply can render twice (the action's answer,
  // then the revalidated loader, which may give the form new ids), and reading the error's id
  // and the control's aria-describedby in separate steps could straddle the two renders.
  await expect(async () => {
    const seen = await control.evaluate((element) => {
      const errors = Array.from(element.parentElement?.querySelectorAll(".field__error") ?? []);
      return {
        invalid: element.getAttribute("aria-invalid"),
        describedBy: (element.getAttribute("aria-describedby") ?? "").split(/\s+/),
        errors: errors.map((error) => ({ id: error.id, text: error.textContent ?? "" })),
      };
    });
    expect(seen.invalid).toBe("true");
    expect(seen.errors).toHaveLength(1);
    const error = seen.errors[0]!;
    if (typeof message === "string") expect(error.text).toContain(message);
    else expect(error.text).toMatch(message);
    expect(error.id, "the error paragraph needs an id for aria-describedby").toBeTruthy();
    expect(seen.describedBy, "aria-describedby should point at the error").toContain(error.id);
  }).toPass({ timeout: 10_000 });
}

export async function expectNoFieldError(control: Locator) {
  await expect(control).not.toHaveAttribute("aria-invalid", "true");
  await expect(control.locator("xpath=..").locator(".field__error")).toHaveCount(0);
}

export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await field(page, "Email").fill(user.email);
  await field(page, "Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  // Attached, not visible: at phone width it sits in the closed navigation menu.
  await expect(page.locator("form[action='/logout'] button", { hasText: "Sign out" })).toBeAttached();
}

/**
 * A spec run alone starts on an empty database: this sets Kept up the way foundation.spec.ts
 * does (the admin is then signed in). False, doing nothing, when setup has already happened.
 */
export async function setUpIfEmpty(page: Page): Promise<boolean> {
  const setup = await page.goto("/setup");
  if (setup?.status() !== 200) return false;
  await field(page, "Organisation name").fill(ORG_NAME);
  await field(page, "Fiscal year starts in").selectOption({ label: "July" });
  await field(page, "Your name").fill(ADMIN.name);
  await field(page, "Email").fill(ADMIN.email);
  await field(page, "Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Set up Kept" }).click();
  await expect(page).toHaveURL(/\/$/);
  return true;
}

/** The admin, signed in on `page`: Kept is set up first when this is the first spec on its database. */
export async function signInAsAdmin(page: Page) {
  if (!(await setUpIfEmpty(page))) await signIn(page, ADMIN);
}

/**
 * A new write-scope API token of the person signed in on `page`, made on the account page (the
 * secret is shown once there), for a spec that sets up its data through the API.
 */
export async function apiToken(page: Page, name: string): Promise<string> {
  await page.goto("/account/tokens");
  await field(page, "Name (what will use it)").fill(name);
  await field(page, "Scope").selectOption("write");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = ((await page.getByTestId("new-token").textContent()) ?? "").trim();
  expect(token, "the new token is shown once after Create token").toMatch(/^kept_/);
  return token;
}

/** The JSON API as one person (their bearer token), for specs that set up or check data through it. */
export interface ApiClient {
  /** The answer as it came, for a test about a refusal (status, problem+json). */
  send(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<APIResponse>;
  /** The parsed body of a 2xx answer; any other answer fails the test, naming the request and what came back. */
  json<T = Record<string, unknown>>(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T>;
}

export function apiClient(request: APIRequestContext, token: string): ApiClient {
  const send: ApiClient["send"] = (method, path, body) =>
    request.fetch(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      data: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    send,
    async json<T>(method: Parameters<ApiClient["send"]>[0], path: string, body?: unknown) {
      const response = await send(method, path, body);
      const text = await response.text();
      expect(response.status(), `${method} ${path}: ${text}`).toBeLessThan(300);
      return (text ? JSON.parse(text) : {}) as T;
    },
  };
}

/**
 * A team of the spec's own, made through the teams page unless it exists already (a spec that
 * runs twice against one database, or whose beforeAll ran in an earlier worker). Specs share a
 * database, so each names its team after itself: no spec sees another's commitments.
 */
export async function ensureTeam(page: Page, team: { name: string; slug: string; mission?: string }) {
  if ((await page.goto(`/teams/${team.slug}`))?.status() === 200) return;
  await page.goto("/teams");
  await field(page, "Name").fill(team.name);
  await field(page, "Address (slug)").fill(team.slug);
  if (team.mission) await field(page, "Mission (one line, optional)").fill(team.mission);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${team.slug}\\?created=1$`));
}

/** A person of the spec's own (found by email, else added through the people page). */
export async function ensurePerson(page: Page, person: { name: string; email: string; password: string }, role: "admin" | "member" | "viewer") {
  await page.goto(`/people?q=${encodeURIComponent(person.email)}`);
  if ((await page.getByRole("table").getByRole("link", { name: person.name, exact: true }).count()) > 0) return;
  await page.goto("/people");
  await field(page, "Name").fill(person.name);
  await field(page, "Email").fill(person.email);
  await field(page, "Role").selectOption(role);
  await field(page, "Temporary password").fill(person.password);
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page).toHaveURL(/\?added=1$/);
}

/** The /people/<id> path of the person with this name, read from the people table. */
export async function personPath(page: Page, name: string): Promise<string> {
  await page.goto("/people");
  const href = await page.getByRole("table").getByRole("link", { name, exact: true }).getAttribute("href");
  expect(href).toMatch(/^\/people\/[0-9a-f-]{36}$/);
  return href!;
}

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const withoutScripts = new WeakSet<BrowserContext>();

/**
 * A browser context with JavaScript off, for proving a form works without it. Pages of such a
 * context can still be checked with expectAccessible (see withScriptsWhileChecking).
 */
export async function newContextWithoutJavaScript(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, javaScriptEnabled: false });
  withoutScripts.add(context);
  return context;
}

/**
 * axe-core schedules its checks with timers, which never fire in a page whose scripting is off:
 * the scan would wait until the test times out. So a page of a context without JavaScript is
 * checked in a copy: the same URL, answered with exactly the HTML the page shows, in a context
 * with scripting on and the viewport of the original, the site's own stylesheets and none of its
 * scripts (they are refused), so the copy is the page as a browser without JavaScript has it.
 */
async function inCheckableCopy<T>(page: Page, check: (copy: Page) => Promise<T>): Promise<T> {
  // A page of the "no-javascript" project's own context has scripting off too.
  const scriptsOff = withoutScripts.has(page.context()) || base.info().project.use.javaScriptEnabled === false;
  if (!scriptsOff) return check(page);
  const browser = page.context().browser();
  if (!browser) throw new Error("expectAccessible needs the page's browser to check a page without JavaScript");
  const url = page.url();
  const html = await page.content();
  // Explicitly on: in the "no-javascript" project a new context would otherwise take the
  // project's javaScriptEnabled: false, and axe would wait forever in the copy too.
  const context = await browser.newContext({ viewport: page.viewportSize(), javaScriptEnabled: true });
  try {
    const copy = await context.newPage();
    await copy.route("**/*", (route) => {
      const request = route.request();
      if (request.isNavigationRequest() && request.url() === url) {
        return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html });
      }
      if (request.resourceType() === "script") return route.abort();
      return route.continue();
    });
    await copy.goto(url);
    return await check(copy);
  } finally {
    await context.close();
  }
}

/** A full-page screenshot kept with the test's results (test-results/, not committed) and attached to the report. */
export async function keepScreenshot(page: Page, name: string) {
  const info = base.info();
  const path = info.outputPath(`${name.replace(/[^A-Za-z0-9-]+/g, "-").toLowerCase()}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

/**
 * Runs axe on the current page and fails (softly, so every page gets checked) on any
 * serious or critical violation, listing them readably.
 */
export async function expectAccessible(page: Page, what: string) {
  // Legacy mode runs axe in the page itself instead of opening a helper page per scan,
  // which halves the time; Kept's pages have no iframes that would need the other mode.
  const results = await inCheckableCopy(page, (target) => new AxeBuilder({ page: target }).withTags(WCAG_TAGS).setLegacyMode(true).analyze());
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      - ${n.target.join(" ")}\n        ${(n.failureSummary ?? "").replace(/\n/g, "\n        ")}`)
        .join("\n");
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join("\n");
  expect.soft(bad.length, `axe found serious/critical violations on ${what} (${page.url()}):\n${report}`).toBe(0);
}

/** At a phone width the page must not scroll sideways. */
export async function expectNoHorizontalScroll(page: Page, what: string) {
  const previous = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect
    .soft(scrollWidth, `${what} (${page.url()}) scrolls sideways at 390px: content is ${scrollWidth}px wide`)
    .toBeLessThanOrEqual(clientWidth + 1);
  if (previous) await page.setViewportSize(previous);
}

/**
 * Opens an action's form on a commitment page: each is a <details> whose summary reads like a
 * button ("Check in", "Record the outcome", "Change the outcome", "Carry forward").
 */
export async function openAction(page: Page, label: string) {
  const summary = page.locator("details.action > summary", { hasText: new RegExp(`^${label}$`) });
  await expect(summary).toHaveCount(1);
  const open = await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open);
  if (!open) await summary.click();
  await expect(summary.locator("xpath=..")).toHaveAttribute("open", "");
}

/** The outcome form, also before the due date is near (through "Record the outcome now"). */
export async function openOutcomeForm(page: Page) {
  const early = page.getByRole("link", { name: "Record the outcome now" });
  const summary = page.locator("details.action > summary", { hasText: /^Record the outcome$/ });
  // After a client-side navigation the URL changes before the new page renders: wait for one of the two.
  await expect(summary.or(early).first()).toBeVisible();
  if ((await summary.count()) === 0) {
    await early.click();
    await expect(page).toHaveURL(/outcome=early/);
  }
  await openAction(page, "Record the outcome");
}
