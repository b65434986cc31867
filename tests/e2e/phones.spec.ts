// Every page at phone width (390 px): no sideways scrolling, axe clean, the navigation a menu.
// Runs on the sample organisation, on an instance of its own (./fresh-instance.ts): it sets the
// sample up itself, so it needs no other spec (not the newcomer's) to have run. Signed in as
// the sample's admin and anonymous. Screenshots of the main pages are kept as test artefacts.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { expect, expectAccessible, field } from "./fixtures";
import { test } from "./fresh-instance";

const NEWCOMER = { name: "Nia Newcomer", email: "nia@kept.test", password: "newcomer-pass-123" };
const THIS_YEAR = new Date().getUTCFullYear();
const LAST_YEAR = THIS_YEAR - 1;
const PHONE = { width: 390, height: 844 };

test.use({ viewport: PHONE });

async function signInToSample(page: Page) {
  const setup = await page.goto("/setup");
  if (setup?.status() === 200) {
    await field(page, "Organisation name").fill("Our Company");
    await field(page, "Fiscal year starts in").selectOption({ label: "January" });
    await field(page, "Your name").fill(NEWCOMER.name);
    await field(page, "Email").fill(NEWCOMER.email);
    await field(page, "Password").fill(NEWCOMER.password);
    await page.getByLabel("Start with a sample organisation").check();
    await page.getByRole("button", { name: "Set up Kept" }).click();
    await expect(page).toHaveURL(/\/$/, { timeout: 30_000 });
    return;
  }
  // Not fixtures' signIn: at 390 px "Sign out" is inside the closed menu.
  await page.goto("/login");
  await field(page, "Email").fill(NEWCOMER.email);
  await field(page, "Password").fill(NEWCOMER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** The href of the first link in the main content matching `selector`. */
async function firstHref(page: Page, path: string, selector: string): Promise<string> {
  await page.goto(path);
  const href = await page.locator(`main ${selector}`).first().getAttribute("href");
  expect(href, `a link ${selector} on ${path}`).toBeTruthy();
  return href!;
}

/** Pages only a first run shows; tests/e2e/first-run.spec.ts checks them at 390 px. */
const ELSEWHERE = new Map([["setup", "first-run.spec.ts"]]);

/**
 * Every page of the app (a route module with a component; not the API, not a resource route),
 * as a pattern of the paths it serves, so that a page added later fails this spec until it
 * is visited here.
 */
function pageRoutes(): Array<{ file: string; pattern: RegExp }> {
  const dir = path.join(process.cwd(), "app/routes");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".tsx") && !f.startsWith("api.v1") && !f.includes("["))
    .filter((f) => /^export default /m.test(readFileSync(path.join(dir, f), "utf8")))
    .map((f) => {
      const name = f.replace(/\.tsx$/, "");
      const segments = name
        .split(".")
        .filter((s) => s !== "_index")
        .map((s) => s.replace(/_$/, ""))
        .map((s) => (s.startsWith("$") ? "[^/]+" : s.replace(/[-]/g, "\\-")));
      return { file: name, pattern: new RegExp(`^/${segments.join("/")}$`) };
    });
}

async function checkPage(page: Page, testInfo: TestInfo, path: string, screenshot?: string, expected = 400) {
  const response = await page.goto(path);
  expect.soft(response?.status(), `status of ${path}`).toBeLessThan(expected);
  const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
    const root = document.documentElement;
    // Name the widest element that sticks out, so a failure says what to fix.
    let widest = "";
    let max = root.clientWidth;
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("body *"))) {
      const right = el.getBoundingClientRect().right;
      if (right > max + 1) {
        max = right;
        widest = `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? `.${el.className.split(" ").join(".")}` : ""}`;
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest };
  });
  expect.soft(scrollWidth, `${path} scrolls sideways at 390 px (${scrollWidth} px wide; widest: ${widest})`).toBeLessThanOrEqual(clientWidth + 1);
  await expectAccessible(page, `${path} at 390 px`);
  if (screenshot) {
    await testInfo.attach(`${screenshot} (390 px)`, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  }
}

test("every page fits a 390 px phone, signed in as an admin and anonymous", async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(300_000);
  await signInToSample(page);

  // The navigation is a menu that opens without scripts and does not wrap across the page.
  await page.goto("/");
  const menu = page.locator("summary", { hasText: "Menu" });
  await expect(menu).toBeVisible();
  const headerHeight = await page.locator(".site-header").evaluate((el) => el.getBoundingClientRect().height);
  expect(headerHeight, "the header is one line, not four").toBeLessThan(90);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Commitments" })).toBeHidden();
  await menu.click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Commitments" }).click();
  await expect(page).toHaveURL(/\/commitments$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" })).toBeHidden();

  const sydney = await firstHref(page, "/commitments?q=Sydney&year=all", "table a[href^='/commitments/']");
  const commitment = await firstHref(page, "/commitments?status=open&year=all", "table a[href^='/commitments/']");
  const team = await firstHref(page, "/teams", ".tree a");
  const person = await firstHref(page, "/people", "table a[href^='/people/']");
  const retrospective = await firstHref(page, "/retrospectives", "a[href^='/retrospectives/']");
  const draft = await firstHref(page, "/letters", "a[href^='/letters/drafts/']");
  const publicCommitment = await firstHref(page, `/ledger?year=${LAST_YEAR}`, "a[href^='/ledger/commitments/']");
  // A webhook endpoint of its own, for its page: on loopback (the e2e servers allow private
  // targets), a port nothing listens on, so even a delivery would not leave this machine.
  const created = await page.request.post("/settings/webhooks", {
    form: { intent: "create", url: "http://127.0.0.1:9/phones-hook", description: "Phone check", events: "letter.published", active: "on" },
    headers: { Origin: new URL(baseURL!).origin },
  });
  expect(created.status(), "webhook created").toBeLessThan(400);
  const webhook = await firstHref(page, "/settings/webhooks", "a[href^='/settings/webhooks/']");

  const pages: Array<[string, string?]> = [
    ["/", "dashboard"],
    ["/commitments", "commitments list"],
    ["/commitments?year=all&status=open&sort=due"],
    ["/commitments/new", "new commitment"],
    [commitment, "commitment"],
    [sydney, "re-scoped commitment"],
    [`${commitment}/edit`],
    ["/teams", "teams"],
    [team, "team home"],
    [`${team}/edit`],
    [`${team}/import`],
    ["/people", "people"],
    [person, "person"],
    ["/retrospectives"],
    [retrospective, "retrospective"],
    ["/letters", "letters"],
    [draft, "draft letter"],
    [`/letters/${LAST_YEAR}`, "published letter"],
    ["/ledger"],
    ["/notifications"],
    ["/account", "account"],
    ["/account/tokens"],
    ["/account/notifications"],
    ["/settings", "settings"],
    ["/settings/record"],
    ["/settings/notifications"],
    ["/settings/outbox"],
    ["/settings/jobs"],
    ["/settings/subscribers"],
    ["/settings/webhooks"],
    [webhook],
    [`/year-end/${THIS_YEAR}`, "year-end close"],
    ["/api/docs", "API reference"],
  ];
  for (const [path, screenshot] of pages) await checkPage(page, testInfo, path, screenshot);
  // The sample publishes no internal letter: the page that says so must fit too.
  await checkPage(page, testInfo, `/letters/${LAST_YEAR}/internal`, undefined, 500);
  const visited = [...pages.map(([p]) => p), `/letters/${LAST_YEAR}/internal`];

  const anonymous = await browser.newContext({ baseURL, viewport: PHONE });
  try {
    const reader = await anonymous.newPage();
    for (const [path, screenshot] of [
      ["/login", "sign in"],
      ["/letters", "public letters"],
      [`/letters/${LAST_YEAR}`, "public letter"],
      ["/ledger", "public ledger"],
      [publicCommitment, "public commitment"],
      ["/subscribe", "subscribe"],
      ["/api/docs"],
    ] as Array<[string, string?]>) {
      await checkPage(reader, testInfo, path, screenshot ? `anonymous ${screenshot}` : undefined);
      visited.push(path);
    }
    // Links from mail with a token that is not (or no longer) valid still get a page that fits.
    const tokenPages = ["/subscribe/confirm/not-a-real-token", "/unsubscribe/not-a-real-token", "/set-password/not-a-real-token"];
    for (const path of tokenPages) await checkPage(reader, testInfo, path, undefined, 500);
    visited.push(...tokenPages);
  } finally {
    await anonymous.close();
  }

  // Every page of the app was among them.
  const missing = pageRoutes().filter((r) => !ELSEWHERE.has(r.file) && !visited.some((p) => r.pattern.test(p.split(/[?#]/)[0]!)));
  expect(missing.map((r) => r.file), "pages this spec does not visit at 390 px").toEqual([]);
});

test("tables become stacked rows and the list's filters fold away on a phone", async ({ page }) => {
  await signInToSample(page);
  await page.goto("/commitments?year=all");
  const firstRow = page.getByRole("table").getByRole("row").nth(1);
  // Each cell on its own line: the status cell sits below the commitment, not beside it.
  const statement = await firstRow.getByRole("cell").first().boundingBox();
  const status = await firstRow.getByRole("cell").nth(4).boundingBox();
  expect(status!.y).toBeGreaterThan(statement!.y + statement!.height - 1);
  expect(status!.x + status!.width).toBeLessThanOrEqual(PHONE.width);
  // Team, status and the rest are behind "More filters"; search and year stay in view.
  await expect(field(page, "Search")).toBeVisible();
  await expect(field(page, "Status")).toBeHidden();
  await page.locator("summary", { hasText: "More filters" }).click();
  await expect(field(page, "Status")).toBeVisible();
  // The team is typed, not picked from every team: part of a name lands on the team's address.
  await field(page, "Team (with sub-teams)").fill("reliab");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]team=site-reliability(&|$)/);
  await expect(field(page, "Team (with sub-teams)")).toHaveValue("Site Reliability");
  // A name no team has stays in the field with the reason beside it.
  await field(page, "Team (with sub-teams)").fill("no such team");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No team's name contains “no such team”.")).toBeVisible();
  await expect(field(page, "Team (with sub-teams)")).toHaveValue("no such team");
  await expectAccessible(page, "the list with a team that matches nothing");

  // At a desktop width the same filters show without opening anything, and the nav is a row.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/commitments");
  await expect(field(page, "Status")).toBeVisible();
  await expect(page.locator("summary", { hasText: "More filters" })).toBeHidden();
  await expect(page.locator("summary", { hasText: "Menu" })).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" })).toBeVisible();
});
