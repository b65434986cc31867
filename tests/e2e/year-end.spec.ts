// The year-end close and the publishing safeguards around it (ADR 0017): the close page lists
// what is still open and leads to drafting the letter; a year that has not started is neither
// offered nor accepted (page and API); a year that has ended publishes after a ticked box; the
// close page and the editor's confirmation work without JavaScript; the letter editor and its
// preview scroll together side by side, and become tabs at phone width. Each test sets up what
// it needs (years and letters are chosen from what the database holds, never assumed), so the
// spec passes alone and after the others. Screenshots are kept in test-results/.
import type { APIRequestContext, Page, TestInfo } from "@playwright/test";
import { FISCAL_START_MONTH, quarterContaining, today } from "./calendar";
import { ADMIN, apiClient, apiToken, expect, expectAccessible, expectFieldError, expectNoHorizontalScroll, field, signIn, signInAsAdmin, test } from "./fixtures";

const quarter = quarterContaining(today());
const FISCAL_YEAR = Number(quarter.label.slice(2, 6));
const SLUG = "year-end-e2e";
const TEAM = "Year-end support";
const OPEN = "Answer every enterprise support ticket within 4 business hours, every week of the quarter";
// The first quarter of next fiscal year, from its first day (the fiscal year starts on the 1st of FISCAL_START_MONTH).
const NEXT_YEAR_Q1 = quarterContaining(`${FISCAL_START_MONTH === 1 ? FISCAL_YEAR + 1 : FISCAL_YEAR}-${String(FISCAL_START_MONTH).padStart(2, "0")}-01`);

/** A full-page screenshot kept with the test's results (test-results/), and attached to the report. */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

interface LetterSummary {
  id: string;
  fiscalYear: number;
  audience: "public" | "internal";
  status: "draft" | "published";
}

async function lettersNow(request: APIRequestContext, token: string): Promise<LetterSummary[]> {
  return (await apiClient(request, token).json<{ items: LetterSummary[] }>("GET", "/api/v1/letters")).items;
}

/**
 * The latest ended year, at least two before this one, that has no letter yet. Two before: the
 * letter of a year also checks and locks the next year's public commitments, and the other specs
 * make theirs this year and last.
 */
async function endedYearWithoutLetters(request: APIRequestContext, token: string): Promise<number> {
  const taken = new Set((await lettersNow(request, token)).map((l) => l.fiscalYear));
  let year = FISCAL_YEAR - 2;
  while (taken.has(year)) year -= 1;
  return year;
}

/** A draft of this year's letter regenerated from the record as it stands now (a draft of either audience). */
async function freshDraftOfThisYear(request: APIRequestContext, token: string): Promise<string> {
  const published = new Set((await lettersNow(request, token)).filter((l) => l.fiscalYear === FISCAL_YEAR && l.status === "published").map((l) => l.audience));
  const audience = (["internal", "public"] as const).find((a) => !published.has(a));
  expect(audience, `both letters of FY${FISCAL_YEAR} are already published: no draft to edit`).toBeDefined();
  const res = await apiClient(request, token).send("POST", "/api/v1/letters", { fiscalYear: FISCAL_YEAR, audience, replaceEdits: true });
  expect([200, 201], await res.text()).toContain(res.status());
  return `/letters/drafts/${((await res.json()) as { id: string }).id}`;
}

let token = "";

test.beforeAll(async ({ browser }, testInfo) => {
  if (process.env.KEPT_E2E_SKIP) return;
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const page = await context.newPage();
    await signInAsAdmin(page);
    token = await apiToken(page, "year-end e2e");
    const api = apiClient(context.request, token);
    const teams = await api.json<{ items: Array<{ slug: string }> }>("GET", "/api/v1/teams");
    if (teams.items.some((t) => t.slug === SLUG)) return;
    const me = await api.json<{ id: string }>("GET", "/api/v1/me");
    const team = await api.json<{ id: string }>("POST", "/api/v1/teams", { name: TEAM, slug: SLUG, mission: "Enterprise support" });
    const base = { evidenceSource: "Support desk SLA report", teamId: team.id, audience: "internal", ownerId: me.id };
    const made = await api.send("POST", "/api/v1/commitments", {
      ...base,
      statement: OPEN,
      periodLabel: quarter.label,
      dueDate: quarter.end,
      measure: { kind: "deliverable", event: "The SLA report shows no ticket over 4 business hours" },
    });
    expect(made.status(), await made.text()).toBe(201);
    // A commitment in next fiscal year: that year is still not offered for a letter.
    const next = await api.send("POST", "/api/v1/commitments", {
      ...base,
      statement: "Publish the enterprise support handbook on the help centre",
      periodLabel: NEXT_YEAR_Q1.label,
      dueDate: NEXT_YEAR_Q1.end,
      measure: { kind: "deliverable", event: "The handbook is on the help centre" },
    });
    expect(next.status(), await next.text()).toBe(201);
  } finally {
    await context.close();
  }
});

test("the close page lists what is still open, by team with its owner, and ends in drafting the letter", async ({ page }, testInfo) => {
  await signIn(page, ADMIN);
  await page.getByRole("link", { name: "Close the year" }).click();
  await expect(page).toHaveURL(new RegExp(`/year-end/${FISCAL_YEAR}$`));
  await page.goto("/letters");
  await page.getByRole("link", { name: `Close FY${FISCAL_YEAR}`, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Close FY${FISCAL_YEAR}`);
  await expect(page.locator("#countdown")).toContainText(new RegExp(`FY${FISCAL_YEAR} ends (in \\d+ days?|today)`));

  const open = page.getByRole("region", { name: /Commitments without an outcome/ });
  const team = open.getByRole("region", { name: new RegExp(TEAM) });
  await expect(team.getByRole("link", { name: OPEN })).toBeVisible();
  await expect(team.getByRole("listitem").filter({ hasText: OPEN })).toContainText(ADMIN.name);
  // This team made commitments this quarter and has not looked back on it yet.
  await expect(page.getByRole("region", { name: /Retrospectives not yet held/ })).toContainText(`${TEAM}, ${quarter.label}`);
  await expect(page.getByRole("region", { name: /Explanations still missing/ })).toBeVisible();
  const draft = page.getByRole("region", { name: "Draft the letter" });
  await expect(draft).toContainText("Publishing before the year ends asks you to confirm that in writing.");

  await expectAccessible(page, "year-end close (1280 px)");
  await keepScreenshot(page, testInfo, "year-end-close-1280");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, "year-end close (390 px)");
  await expectNoHorizontalScroll(page, "year-end close");
  await keepScreenshot(page, testInfo, "year-end-close-390");
  await page.setViewportSize({ width: 1280, height: 800 });

  // The owner's link leads to the commitment, where the outcome is recorded.
  await team.getByRole("link", { name: OPEN }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Answer every enterprise support ticket");
});

test("a year that has not started is not offered, and is refused on the page and over the API", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto(`/year-end/${FISCAL_YEAR + 1}`);
  await expect(page.locator("#countdown")).toContainText(new RegExp(`FY${FISCAL_YEAR + 1} starts in \\d+ days?`));
  await expect(page.getByText("Nothing to close yet")).toBeVisible();
  await expect(page.getByRole("button", { name: /Draft the/ })).toHaveCount(0);
  await expectAccessible(page, "year-end close of a year not started");

  await page.goto("/letters");
  const year = field(page, "Fiscal year");
  expect(await year.locator(`option[value="${FISCAL_YEAR + 1}"]`).count()).toBe(0);
  await expect(year.locator(`option[value="${FISCAL_YEAR}"]`)).toHaveCount(1);

  // Posted anyway (a stale page, a crafted form): refused beside the field, nothing drafted.
  await year.evaluate((select, y) => {
    const option = document.createElement("option");
    option.value = String(y);
    option.textContent = `FY${y}`;
    select.appendChild(option);
    (select as HTMLSelectElement).value = String(y);
  }, FISCAL_YEAR + 1);
  await page.getByRole("button", { name: "Draft the letter" }).click();
  await expect(page.getByText(`FY${FISCAL_YEAR + 1} has not started yet`)).toBeVisible();
  await expect(year).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/letters(\?index)?$/);
  expect((await lettersNow(page.request, token)).some((l) => l.fiscalYear === FISCAL_YEAR + 1)).toBe(false);

  const res = await apiClient(page.request, token).send("POST", "/api/v1/letters", { fiscalYear: FISCAL_YEAR + 1, audience: "public" });
  expect(res.status()).toBe(422);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  expect(await res.json()).toMatchObject({ code: "LETTER.YEAR_NOT_STARTED", fields: [{ name: "fiscalYear" }] });
});

test("after the year has ended, publishing is a ticked box (at phone width, with axe)", async ({ page }) => {
  await signIn(page, ADMIN);
  const ended = await endedYearWithoutLetters(page.request, token);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/year-end/${ended}`);
  await expect(page.locator("#countdown")).toContainText(`FY${ended} ended`);
  await expectAccessible(page, "year-end close of an ended year (390 px)");
  const draft = page.getByRole("region", { name: "Draft the letter" });
  await draft.getByRole("button", { name: `Draft the internal letter for FY${ended}` }).click();
  await expect(page).toHaveURL(/\/letters\/drafts\/[0-9a-f-]{36}$/);

  const box = page.getByLabel("I have read this letter; publish it for good");
  await expect(box).not.toBeChecked();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Tick the box to confirm")).toBeVisible();
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "publish refused without the box (390 px)");
  await expectNoHorizontalScroll(page, "letter draft editor with the publish confirmation");
  await box.check();
  // Ticking clears the error at once (it is checked again as it changes), so nothing moves as Publish is pressed.
  await expect(page.getByText("Tick the box to confirm")).toHaveCount(0);
  await page.getByRole("button", { name: "Publish" }).click();
  // Publishing freezes and hashes the letter; on a loaded machine that takes a while.
  await expect(page).toHaveURL(new RegExp(`/letters/${ended}/internal$`), { timeout: 30_000 });
});

test("without JavaScript, the close page drafts the letter and the editor's confirmations work as plain forms", async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signIn(page, ADMIN);
    const ended = await endedYearWithoutLetters(page.request, token);
    await page.goto(`/year-end/${ended}`);
    await expect(page.locator("#countdown")).toContainText(`FY${ended} ended`);
    await page.getByRole("region", { name: "Draft the letter" }).getByRole("button", { name: `Draft the public letter for FY${ended}` }).click();
    await expect(page).toHaveURL(/\/letters\/drafts\/[0-9a-f-]{36}$/);
    // No tabs without scripts: the text and its preview are both on the page.
    await expect(page.getByRole("tab")).toHaveCount(0);
    await expect(field(page, "Letter (Markdown)")).toBeVisible();
    await expect(page.locator(".editor__preview .letter-body")).toBeVisible();
    await page.getByRole("button", { name: "Publish" }).click();
    const box = page.getByLabel("I have read this letter; publish it for good");
    await expect(box).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Tick the box to confirm")).toBeVisible();
    await box.check();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page).toHaveURL(new RegExp(`/letters/${ended}$`), { timeout: 30_000 });

    // The year under way: the phrase is a plain field; a refusal comes back beside it, the text kept.
    const draftPath = await freshDraftOfThisYear(page.request, token);
    await page.goto(draftPath);
    const body = field(page, "Letter (Markdown)");
    await body.fill(`${await body.inputValue()}\nWritten without JavaScript.\n`);
    await page.getByRole("button", { name: "Publish" }).click();
    const confirmation = page.getByLabel(`Type publish FY${FISCAL_YEAR} to confirm`);
    await expectFieldError(confirmation, `type “publish FY${FISCAL_YEAR}” to confirm`);
    await expect(body).toHaveValue(/Written without JavaScript\./);
    await expect(page.locator(".publish-confirmation")).toContainText(new RegExp(`FY${FISCAL_YEAR} ends (in \\d+ days?|today); `));
    await confirmation.fill("publish it");
    await page.getByRole("button", { name: "Publish" }).click();
    await expectFieldError(page.getByLabel(`Type publish FY${FISCAL_YEAR} to confirm`), `That is not “publish FY${FISCAL_YEAR}”`);
    await expect(page).toHaveURL(new RegExp(`${draftPath}$`));
  } finally {
    await context.close();
  }
});

test("the letter editor and its preview scroll together side by side, and are tabs at phone width", async ({ page }, testInfo) => {
  await signIn(page, ADMIN);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(await freshDraftOfThisYear(page.request, token));
  const body = field(page, "Letter (Markdown)");
  const preview = page.locator(".editor__preview");

  // Side by side, one height.
  const textBox = (await body.boundingBox())!;
  const previewBox = (await preview.boundingBox())!;
  expect(previewBox.x).toBeGreaterThan(textBox.x + textBox.width);
  expect(Math.abs(previewBox.y - textBox.y)).toBeLessThan(120);
  await expect(page.getByRole("tab")).toHaveCount(0);
  await expectAccessible(page, "letter draft editor (1280 px)");
  await keepScreenshot(page, testInfo, "letter-editor-1280");

  // A long text of short lines (so each line is one line high), with sections of unequal length
  // in the text and in the preview: paragraphs render shorter than their source lines.
  const sections = Array.from({ length: 8 }, (_, i) => {
    const lines = Array.from({ length: 6 + i * 3 }, (_, j) => `Line ${j + 1} of section ${i + 1}.`);
    return `## Section ${i + 1}\n\n${lines.join("\n")}\n`;
  });
  await body.fill(sections.join("\n"));
  // The live preview follows the text (a request after a pause in typing).
  await expect(preview.locator(".letter-body h2", { hasText: /^Section 8$/ })).toHaveCount(1, { timeout: 15_000 });
  await expect(preview.locator(".letter-body h2")).toHaveCount(8);

  // Scroll the text so "## Section 5" is its top line: the preview shows Section 5 at its top, under its sticky heading.
  const lineOf = (n: number) => sections.slice(0, n - 1).join("\n").split("\n").length - 1;
  await body.evaluate((el, line) => {
    const style = getComputedStyle(el);
    el.scrollTop = line * parseFloat(style.lineHeight);
  }, lineOf(5));
  await expect
    .poll(async () =>
      preview.evaluate((el) => {
        const h = Array.from(el.querySelectorAll(".letter-body h2")).find((x) => x.textContent === "Section 5")!;
        const stickyBottom = el.querySelector(".editor__preview-heading")!.getBoundingClientRect().bottom;
        return Math.round(h.getBoundingClientRect().top - stickyBottom);
      }),
    )
    .toBeGreaterThanOrEqual(-4);
  const offset = await preview.evaluate((el) => {
    const h = Array.from(el.querySelectorAll(".letter-body h2")).find((x) => x.textContent === "Section 5")!;
    return h.getBoundingClientRect().top - el.querySelector(".editor__preview-heading")!.getBoundingClientRect().bottom;
  });
  expect(offset).toBeLessThanOrEqual(12);

  // To the end and back, both ways.
  await body.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect.poll(() => preview.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeLessThanOrEqual(2);
  await preview.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect.poll(() => body.evaluate((el) => el.scrollTop)).toBeLessThanOrEqual(2);

  // At phone width: Write and Preview tabs, one shown at a time, the keyboard moving between them.
  await page.setViewportSize({ width: 390, height: 844 });
  const write = page.getByRole("tab", { name: "Write" });
  const previewTab = page.getByRole("tab", { name: "Preview" });
  await expect(write).toHaveAttribute("aria-selected", "true");
  await expect(body).toBeVisible();
  await expect(preview).toBeHidden();
  await expectAccessible(page, "letter draft editor, Write tab (390 px)");
  await expectNoHorizontalScroll(page, "letter draft editor, Write tab");
  await keepScreenshot(page, testInfo, "letter-editor-390-write");
  await previewTab.click();
  await expect(previewTab).toHaveAttribute("aria-selected", "true");
  await expect(preview).toBeVisible();
  await expect(preview.getByRole("heading", { name: "Section 1" })).toBeVisible();
  await expect(body).toBeHidden();
  await expectAccessible(page, "letter draft editor, Preview tab (390 px)");
  await expectNoHorizontalScroll(page, "letter draft editor, Preview tab");
  await keepScreenshot(page, testInfo, "letter-editor-390-preview");
  await previewTab.press("ArrowLeft");
  await expect(write).toBeFocused();
  await expect(write).toHaveAttribute("aria-selected", "true");
  await expect(body).toBeVisible();
  await write.press("End");
  await expect(previewTab).toBeFocused();

  // An error in the text brings its tab forward, the message beside the field.
  await previewTab.click();
  await page.getByRole("tab", { name: "Write" }).click();
  await body.fill("   ");
  await previewTab.click();
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(write).toHaveAttribute("aria-selected", "true");
  await expectFieldError(body, "The letter needs a body.");
});
