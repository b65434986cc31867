// "A newcomer sees it all in a minute": on an instance of its own (playwright.config.ts, the
// "newcomer" project), first-run setup with the sample organisation, then what a newcomer
// would look at — the banner that says it is sample data, last year's published letter, this
// year's draft, the public ledger, commitments and a retrospective.
import { expect, expectAccessible, expectNoHorizontalScroll, field, signIn, test } from "./fixtures";

const NEWCOMER = { name: "Nia Newcomer", email: "nia@kept.test", password: "newcomer-pass-123" };
// The sample's fiscal years start in January here, so fiscal years are calendar years.
const THIS_YEAR = new Date().getUTCFullYear();
const LAST_YEAR = THIS_YEAR - 1;

test("setup with the sample organisation shows two years of record, a published letter and a draft", async ({ page, browser, baseURL }) => {
  await page.goto("/setup");
  await field(page, "Organisation name").fill("Our Company");
  await field(page, "Fiscal year starts in").selectOption({ label: "January" });
  await field(page, "Your name").fill(NEWCOMER.name);
  await field(page, "Email").fill(NEWCOMER.email);
  await field(page, "Password").fill(NEWCOMER.password);
  await page.getByLabel("Start with a sample organisation").check();
  await page.getByRole("button", { name: "Set up Kept" }).click();
  await expect(page).toHaveURL(/\/$/, { timeout: 30_000 });

  // Every page says it is sample data.
  const banner = page.getByRole("note", { name: "Sample data" });
  await expect(banner).toContainText("Nothing here is real");
  await expectAccessible(page, "dashboard of the sample organisation");

  await page.getByRole("link", { name: "Letters", exact: true }).click();
  const published = page.getByRole("region", { name: "Published letters" });
  const drafts = page.getByRole("region", { name: "Drafts" });
  await expect(published.getByRole("listitem")).toHaveCount(1);
  await expect(published).toContainText(`FY${LAST_YEAR}`);
  await expect(drafts).toContainText(`FY${THIS_YEAR}`);
  await expect(banner).toBeVisible();

  // This year's draft opens in the editor, with its publish checks.
  await drafts.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: /Draft/ })).toContainText(`FY${THIS_YEAR}`);
  await expect(page.getByRole("region", { name: "Before publishing" })).toBeVisible();
  // With a year behind it, the scorecard compares years in a chart: an image with a text alternative.
  const chart = page.locator(".editor__preview .letter-body figure svg[role=img]");
  await expect(chart).toHaveCount(1);
  await expect(chart).toHaveAccessibleName(/Delivered in full, by year/);
  await expect(page.locator(".editor__preview .letter-body figure figcaption")).toContainText(`FY${LAST_YEAR}`);
  await expectAccessible(page, "the sample's draft letter");

  // Last year's letter, as a customer reads it: no sign-in.
  const anonymous = await browser.newContext({ baseURL });
  try {
    const reader = await anonymous.newPage();
    await reader.goto(`/letters/${LAST_YEAR}`);
    await expect(reader.getByRole("heading", { level: 1 })).toHaveText(`Annual letter FY${LAST_YEAR}`);
    const headings = await reader.locator(".letter-body h2").allTextContents();
    expect(headings.slice(0, 9)).toEqual([
      "Scorecard",
      "What we said we would do",
      "What we delivered",
      "What we did not deliver, and why",
      "What changed along the way",
      "How well we forecast",
      "Still open from earlier years",
      "What we commit to next year",
      "Ledger appendix",
    ]);
    await expect(reader.getByRole("note", { name: "Sample data" })).toBeVisible();
    await expect(reader.locator(".letter-masthead code.hash")).toHaveText(/^[0-9a-f]{64}$/);
    await expectAccessible(reader, "the sample's published letter");
    await expectNoHorizontalScroll(reader, "the sample's published letter");

    await reader.goto("/ledger");
    await expect(reader.getByRole("row", { name: new RegExp(`FY${LAST_YEAR}`) })).toBeVisible();
    await expect(reader.getByRole("row", { name: new RegExp(`FY${THIS_YEAR}`) })).toBeVisible();
    await expectAccessible(reader, "the sample's public ledger");
  } finally {
    await anonymous.close();
  }

  // The record behind it: commitments of both years and a held retrospective.
  await page.goto("/commitments");
  await expect(page.getByRole("table").getByRole("row")).not.toHaveCount(1);
  await page.goto("/retrospectives");
  await expect(page.getByRole("main")).toContainText("Product Experience");
});

test("two admins saving settings at once: the second is told, and keeps what they typed", async ({ browser, baseURL }) => {
  const first = await browser.newContext({ baseURL });
  const second = await browser.newContext({ baseURL });
  try {
    const a = await first.newPage();
    const b = await second.newPage();
    await signIn(a, NEWCOMER);
    await signIn(b, NEWCOMER);
    await a.goto("/settings");
    await b.goto("/settings");
    await field(a, "Signed by (name)").fill("Ada Signer");
    await a.getByRole("button", { name: "Save settings" }).click();
    await expect(a.getByText("Settings saved.")).toBeVisible();

    await field(b, "Signed by (name)").fill("Someone Else");
    await b.getByRole("button", { name: "Save settings" }).click();
    await expect(b.getByText("Someone else changed the settings")).toBeVisible();
    await expect(field(b, "Signed by (name)")).toHaveValue("Someone Else");
    await b.reload();
    await expect(field(b, "Signed by (name)")).toHaveValue("Ada Signer");
  } finally {
    await first.close();
    await second.close();
  }
});
