// The annual letter in a real browser: generate → edit (with the live, sanitised preview and
// the publish checks) → publish → read as an anonymous visitor → append an erratum → see it on
// the page and in the Atom feed. A corpus of XSS payloads rides along in commitment text,
// details, reasons, the letter body and the erratum: nothing may execute, and the HTML keeps
// no script, event handler or javascript: URL. Runs after the other specs (same database).
import { createHash } from "node:crypto";
import { parseFeed } from "@rowanmanning/feed-parser";
import type { Page } from "@playwright/test";
import { addDays, quarterContaining, today } from "./calendar";
import { ADMIN, ORG_NAME, apiClient, apiToken, expect, expectAccessible, expectFieldError, expectNoHorizontalScroll, field, signIn, signInAsAdmin, test } from "./fixtures";

// Every payload tries to set window.__xss or open a dialog; none may succeed.
const XSS = [
  `<script>window.__xss = "script"</script>`,
  `<img src=x onerror="window.__xss = 'img'">`,
  `<svg onload="window.__xss = 'svg'"><circle r="5"/></svg>`,
  `[a link](javascript:window.__xss='md-link')`,
  `<a href="javascript:window.__xss='a-href'">a-href</a>`,
  `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__xss='mxss'">`,
  `<details open ontoggle="window.__xss='details'">`,
  `"><script>alert('quote-break')</script>`,
  `<a href="JaVaScRiPt:alert('case')">case</a>`,
  `![img](javascript:alert('md-img'))`,
  `<object data="javascript:alert('object')"></object>`,
];
const CORPUS = XSS.join(" ");

const quarter = quarterContaining(today());
const FISCAL_YEAR = Number(quarter.label.slice(2, 6));
const SLUG = "letters-e2e";
const MISSED = `Ship the audit log export <img src=x onerror="window.__xss='statement'"> to every customer by the end of ${quarter.label}`;
const DELIVERED = "Publish our uptime for every month of the year on the public status page";

/** Fails the test if anything from the corpus ran: a dialog, or window.__xss set. */
function watchForXss(page: Page) {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return async (where: string) => {
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null), `script ran on ${where}`).toBeNull();
    expect(dialogs, `a dialog opened on ${where}`).toEqual([]);
  };
}

/** Part of the page holds no script, no event handler and no javascript: URL — as elements, not text. */
async function expectInert(page: Page, selector: string) {
  const found = await page
    .locator(selector)
    .first()
    .evaluate((root) => {
      const bad: string[] = [];
      for (const el of root.querySelectorAll("*")) {
        const tag = el.tagName.toLowerCase();
        if (["script", "iframe", "object", "embed", "style", "math", "frame", "base", "meta", "link"].includes(tag)) bad.push(`<${tag}>`);
        for (const attr of Array.from(el.attributes)) {
          if (/^on/i.test(attr.name)) bad.push(`${tag}[${attr.name}]`);
          if (/^\s*(javascript|vbscript|data:text\/html)/i.test(attr.value.replace(/\s+/g, ""))) bad.push(`${tag}[${attr.name}=${attr.value}]`);
        }
      }
      return bad;
    });
  expect(found, `active content in ${selector}`).toEqual([]);
}

let draftPath = "";
let internalDraftPath = "";
let missedPath = "";

test.beforeAll(async ({ browser }, testInfo) => {
  if (process.env.KEPT_E2E_SKIP) return;
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const page = await context.newPage();
    // Alone (npx playwright test letters), the database is empty: set Kept up first.
    await signInAsAdmin(page);
    const api = apiClient(context.request, await apiToken(page, "letters e2e"));
    // After a failed test Playwright starts a new worker and runs this again: reuse the data.
    const existing = (await api.json("GET", `/api/v1/commitments?q=audit&limit=50`)).items as Array<{ id: string; statement: string }>;
    const found = existing.find((c) => c.statement === MISSED);
    if (found) {
      missedPath = `/commitments/${found.id}`;
      return;
    }
    const team = await api.json("POST", "/api/v1/teams", { name: "Letters <b>team</b>", slug: SLUG, mission: CORPUS.slice(0, 200) });
    const base = {
      evidenceSource: "The export appears in Settings for every account",
      periodLabel: quarter.label,
      teamId: team.id,
      audience: "public",
      dueDate: addDays(today(), 7) > quarter.end ? quarter.end : addDays(today(), 7),
    };
    const missed = await api.json("POST", "/api/v1/commitments", {
      ...base,
      statement: MISSED,
      details: `Details with the whole corpus: ${CORPUS}`,
      measure: { kind: "deliverable", event: `Export generally available ${XSS[1]}` },
      tags: ["Security"],
    });
    missedPath = `/commitments/${String(missed.id)}`;
    await api.json("POST", `/api/v1/commitments/${String(missed.id)}/outcome`, {
      status: "missed",
      resolvedAt: today(),
      reasonCategory: "underestimated_scope",
      control: "ours",
      explanation: `The export needed a new storage layer. ${CORPUS}`,
      lesson: `Spike the storage work before promising a date. ${XSS[0]}`,
    });
    const delivered = await api.json("POST", "/api/v1/commitments", {
      ...base,
      statement: DELIVERED,
      measure: { kind: "deliverable", event: "Monthly uptime figures are on status.example.com" },
    });
    await api.json("POST", `/api/v1/commitments/${String(delivered.id)}/outcome`, {
      status: "delivered",
      resolvedAt: today(),
      evidenceUrl: "https://status.example.com/uptime",
    });
  } finally {
    await context.close();
  }
});

test("an admin drafts the year's letter; the live preview and the publish checks catch a missing shortfall", async ({ page }) => {
  const checkXss = watchForXss(page);
  await signIn(page, ADMIN);
  await page.getByRole("link", { name: "Letters", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Letters");
  await expectAccessible(page, "letters index (admin)");

  // An internal draft too, to prove drafts and internal letters stay private.
  await field(page, "Fiscal year").selectOption(String(FISCAL_YEAR));
  await field(page, "Audience").selectOption("internal");
  await page.getByRole("button", { name: "Draft the letter" }).click();
  await expect(page).toHaveURL(/\/letters\/drafts\/[0-9a-f-]{36}$/);
  internalDraftPath = new URL(page.url()).pathname;

  await page.goto("/letters");
  await field(page, "Fiscal year").selectOption(String(FISCAL_YEAR));
  await field(page, "Audience").selectOption("public");
  await page.getByRole("button", { name: "Draft the letter" }).click();
  await expect(page).toHaveURL(/\/letters\/drafts\/[0-9a-f-]{36}$/);
  draftPath = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: /Draft/ })).toContainText(`Annual letter FY${FISCAL_YEAR}`);

  // Generated from the record: backward-looking first, and it accounts for every shortfall.
  const checks = page.getByRole("region", { name: "Before publishing" });
  await expect(checks).toContainText("Ready to publish");
  const preview = page.locator(".editor__preview .letter-body");
  const headings = await preview.locator("h2").allTextContents();
  expect(headings.slice(0, 5)).toEqual(["Scorecard", "What we said we would do", "What we delivered", "What we did not deliver, and why", "What changed along the way"]);
  await expect(preview).toContainText("Ship the audit log export");
  await expectInert(page, ".editor__preview .letter-body");
  await checkXss("the draft editor");
  await expectAccessible(page, "letter draft editor");
  await expectNoHorizontalScroll(page, "letter draft editor");

  // Cut the explanation of the miss: the live preview's checks say what is now missing.
  const body = field(page, "Letter (Markdown)");
  const original = await body.inputValue();
  const section = original.indexOf("## What we did not deliver, and why");
  const nextSection = original.indexOf("\n## ", section + 5);
  const cut = `${original.slice(0, section)}## What we did not deliver, and why\n\nWe would rather not say.\n${original.slice(nextSection)}`;
  await body.fill(cut);
  await expect(page.locator("#publish-problems")).toContainText("Ship the audit log export");
  await expect(page.locator("#publish-problems")).toContainText("was missed, but the letter does not say so");

  // Publishing is refused with the list; the edit is kept.
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.locator("#publish-problems")).toContainText("Ship the audit log export");
  await expect(page.getByText("The letter cannot be published yet")).toBeVisible();
  await expect(body).toHaveValue(/We would rather not say\./);

  // Regenerating over edits needs an explicit yes.
  await page.getByRole("button", { name: "Regenerate from the record" }).click();
  await expect(page.getByText("confirm to go ahead")).toBeVisible();
  await expect(page.locator("#regenerate-warning")).toContainText("This draft has edits");
  await expect(body).toHaveValue(/We would rather not say\./);
  await page.getByLabel("Yes, replace my edits").check();
  await page.getByRole("button", { name: "Regenerate from the record" }).click();
  await expect(page).toHaveURL(/regenerated=1/);
  await expect(body).not.toHaveValue(/We would rather not say\./);
  await expect(checks).toContainText("Ready to publish");
  await checkXss("the draft editor after regenerating");
});

test("publishing freezes the letter: anonymous readers get the page, its hash, the source, and 304s", async ({ page, browser, baseURL }) => {
  const checkXss = watchForXss(page);
  await signIn(page, ADMIN);
  await page.goto(draftPath);
  const body = field(page, "Letter (Markdown)");
  const written = await body.inputValue();
  await body.fill(`${written}\nA note from the editor, with the corpus: ${CORPUS}\n`);
  await field(page, "Title").fill(`What we promised in FY${FISCAL_YEAR}, and what happened`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await expectInert(page, ".editor__preview .letter-body");
  // Markup that can hide what readers see (SVG, script, style, frames, open comments …) is
  // refused before publishing, with the reason; the corpus still reaches the published page
  // through the commitments the appendix quotes, and through the erratum below.
  await expect(page.locator("#publish-problems")).toContainText("Remove it.");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("The letter cannot be published yet")).toBeVisible();
  await expect(page.locator("#publish-problems")).toContainText("Remove it.");
  await expect(page).not.toHaveURL(new RegExp(`/letters/${FISCAL_YEAR}$`));
  // After the refusal, fixing the text is enough: the live check clears at once (the refused
  // answer no longer shadows it) and Publish sends the corrected text.
  await body.fill(`${written}\nA note from the editor, with the corpus left out of the body.\n`);
  await expect(page.locator("#publish-problems")).toHaveCount(0);
  // The year is under way: publishing says what is still open and asks for the phrase
  // typed out — missing, then wrong, then right (the request is sent each time).
  const confirmation = page.getByLabel(`Type publish FY${FISCAL_YEAR} to confirm`);
  await expect(page.locator(".publish-confirmation")).toContainText(new RegExp(`FY${FISCAL_YEAR} ends (in \\d+ days?|today); `));
  await page.getByRole("button", { name: "Publish" }).click();
  // Publish saved the edit first, so the form comes back with the new version (and new ids):
  // the error is looked for beside the field as it is now, never by an id read before the reply.
  await expectFieldError(confirmation, `type “publish FY${FISCAL_YEAR}” to confirm`);
  await expect(body).toHaveValue(/with the corpus left out of the body/);
  await expectAccessible(page, "publish confirmation refused");
  await confirmation.fill(`publish FY${FISCAL_YEAR - 1}`);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText(`That is not “publish FY${FISCAL_YEAR}”`)).toBeVisible();
  await expect(page).not.toHaveURL(new RegExp(`/letters/${FISCAL_YEAR}$`));
  await confirmation.fill(`publish FY${FISCAL_YEAR}`);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page).toHaveURL(new RegExp(`/letters/${FISCAL_YEAR}$`), { timeout: 30_000 });
  await checkXss("the published letter (admin)");

  // The draft address now leads to the permanent one.
  await page.goto(draftPath);
  await expect(page).toHaveURL(new RegExp(`/letters/${FISCAL_YEAR}$`));

  const anonymous = await browser.newContext({ baseURL });
  try {
    const reader = await anonymous.newPage();
    const checkReader = watchForXss(reader);
    await reader.goto("/letters");
    await reader.getByRole("link", { name: `What we promised in FY${FISCAL_YEAR}, and what happened` }).click();
    await expect(reader).toHaveURL(new RegExp(`/letters/${FISCAL_YEAR}$`));
    await expect(reader.getByRole("heading", { level: 1 })).toHaveText(`Annual letter FY${FISCAL_YEAR}`);
    const masthead = reader.locator(".letter-masthead");
    await expect(masthead).toContainText(ORG_NAME);
    await expect(masthead).toContainText(`Annual letter, FY${FISCAL_YEAR}`);
    const hash = ((await masthead.locator("code.hash").textContent()) ?? "").trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(reader.getByRole("heading", { name: "Ledger appendix" })).toBeVisible();
    await expect(reader.getByRole("heading", { name: "How we rate outcomes" })).toBeVisible();
    await expect(reader.getByRole("heading", { name: "Errata" })).toBeVisible();
    await expect(reader.getByText("No corrections have been made")).toBeVisible();
    await expect(reader.locator(".letter-body")).toContainText("A note from the editor, with the corpus");
    await expectInert(reader, ".letter-body");
    await checkReader("the published letter (anonymous)");
    // Anonymous readers get plain HTML that never hydrates: no script is loaded (what inline
    // data Remix streams is inert without its modules).
    expect(await reader.locator('script[src], script[type="module"], link[rel="modulepreload"]').count()).toBe(0);
    await expectAccessible(reader, "published letter");
    await expectNoHorizontalScroll(reader, "published letter");

    // Anyone can check the hash against the Markdown as published.
    const source = await anonymous.request.get(`/letters/${FISCAL_YEAR}/letter.md`);
    expect(source.status()).toBe(200);
    expect(createHash("sha256").update(await source.body()).digest("hex")).toBe(hash);

    // Cacheable, and revalidated with a 304 while nothing changed.
    const first = await anonymous.request.get(`/letters/${FISCAL_YEAR}`);
    const etag = first.headers()["etag"];
    expect(etag).toBeTruthy();
    expect(first.headers()["cache-control"]).toContain("public");
    const again = await anonymous.request.get(`/letters/${FISCAL_YEAR}`, { headers: { "If-None-Match": etag! } });
    expect(again.status()).toBe(304);

    // Internal letters and drafts do not exist for anonymous readers.
    expect((await anonymous.request.get(internalDraftPath)).status()).toBe(404);
    expect((await anonymous.request.get(`/letters/${FISCAL_YEAR}/internal`)).status()).toBe(404);
    expect((await anonymous.request.get(draftPath.replace(/[0-9a-f]{4}$/, "0000"))).status()).toBe(404);

    // Printing: no site chrome or forms, the letter and its appendix remain.
    await reader.emulateMedia({ media: "print" });
    await expect(reader.locator(".site-header")).toBeHidden();
    await expect(reader.locator(".letter-body")).toBeVisible();
    await expect(reader.getByRole("heading", { name: "Ledger appendix" })).toBeVisible();
  } finally {
    await anonymous.close();
  }
});

test("the letter's quotes of its commitments and its appendix rows lead to their public pages", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  try {
    const reader = await context.newPage();
    await reader.goto(`/letters/${FISCAL_YEAR}`);
    // The body quotes the miss (its statement holds markup-like text, escaped); the quote links.
    const bodyLink = reader.locator(".letter-body").locator("p a, li a").filter({ hasText: MISSED }).first();
    await expect(bodyLink).toHaveText(`“${MISSED}”`);
    const bodyHref = await bodyLink.getAttribute("href");
    expect(bodyHref).toMatch(/^\/ledger\/commitments\/[0-9a-f-]{36}$/);
    await bodyLink.click();
    await expect(reader).toHaveURL(new RegExp(`${bodyHref}$`));
    await expect(reader.getByRole("heading", { level: 1 })).toHaveText(MISSED);
    await expectAccessible(reader, "a public commitment page reached from a letter's body");

    // The appendix row of the delivered commitment links to its page too.
    await reader.goto(`/letters/${FISCAL_YEAR}`);
    const appendix = reader.getByRole("heading", { name: "Ledger appendix" }).locator("xpath=following::table[1]");
    const rowLink = appendix.getByRole("link").filter({ hasText: DELIVERED });
    await expect(rowLink).toHaveCount(1);
    await rowLink.click();
    await expect(reader).toHaveURL(/\/ledger\/commitments\/[0-9a-f-]{36}$/);
    await expect(reader.getByRole("heading", { level: 1 })).toHaveText(DELIVERED);
    await expectAccessible(reader, "a public commitment page reached from a letter's appendix");

    // What was published is unchanged: the Markdown still hashes to the hash on the page.
    await reader.goto(`/letters/${FISCAL_YEAR}`);
    const hash = ((await reader.locator(".letter-masthead code.hash").textContent()) ?? "").trim();
    const source = await context.request.get(`/letters/${FISCAL_YEAR}/letter.md`);
    const markdown = await source.text();
    expect(createHash("sha256").update(markdown).digest("hex")).toBe(hash);
    expect(markdown).not.toContain("/ledger/commitments/");
    await expectAccessible(reader, "the published letter with its links");
  } finally {
    await context.close();
  }
});

test("signed-in people see the organisation's brand on the public pages, and Kept's own frame on theirs", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/settings");
  await field(page, "Accent colour (optional)").fill("#7A1F5C");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  try {
    const accent = page.locator('link[rel=stylesheet][href="/brand/accent.css?c=7a1f5c"]');
    const publicCommitment = (await (async () => {
      await page.goto(`/letters/${FISCAL_YEAR}`);
      return page.locator(".letter-body a[href^='/ledger/commitments/']").first().getAttribute("href");
    })())!;
    for (const path of [`/letters/${FISCAL_YEAR}`, `/ledger?year=${FISCAL_YEAR}`, publicCommitment, "/subscribe"]) {
      await page.goto(path);
      const brand = page.getByRole("banner").locator("a.brand--public");
      await expect(brand, `${path} shows the organisation's name`).toHaveText(ORG_NAME);
      await expect(page.getByRole("banner"), `${path} does not show Kept's name in its header`).not.toContainText("Kept");
      await expect(accent, `${path} wears the accent colour`).toHaveCount(1);
      await expect(page.getByRole("contentinfo")).toHaveText("Published with Kept");
      // Still signed in: their navigation stays, and the brand takes them home.
      await expect(page.getByRole("navigation", { name: "Main" })).toBeAttached();
      await expect(brand).toHaveAttribute("href", "/");
      await expectAccessible(page, `${path} signed in, branded`);
    }
    // Their own pages keep Kept's frame.
    await page.goto("/commitments");
    await expect(page.getByRole("banner").locator("a.brand")).toContainText("Kept");
    await expect(accent).toHaveCount(0);
    await expect(page.getByRole("contentinfo")).toHaveCount(0);
  } finally {
    await page.goto("/settings");
    await field(page, "Accent colour (optional)").fill("");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status")).toHaveText("Settings saved.");
  }
});

test("an erratum is appended, shown on the page and in the Atom feed, and the ETag changes", async ({ page, browser, baseURL }) => {
  const checkXss = watchForXss(page);
  await signIn(page, ADMIN);
  await page.goto(`/letters/${FISCAL_YEAR}`);
  const before = (await page.request.get(`/letters/${FISCAL_YEAR}`, { headers: { Cookie: "" } })).headers()["etag"];

  await page.getByRole("button", { name: "Append erratum" }).click();
  await expect(field(page, "Correction (Markdown)")).toHaveAttribute("aria-invalid", "true");
  await field(page, "Correction (Markdown)").fill(`The uptime page moved to status.example.com/history. ${CORPUS}`);
  await page.getByRole("button", { name: "Append erratum" }).click();
  await expect(page.getByText("Erratum appended.")).toBeVisible();
  await expect(page.locator(".errata-list li")).toHaveCount(1);
  await expectInert(page, ".letter-errata");
  await checkXss("the letter with an erratum (admin)");

  const anonymous = await browser.newContext({ baseURL });
  try {
    const reader = await anonymous.newPage();
    const checkReader = watchForXss(reader);
    await reader.goto(`/letters/${FISCAL_YEAR}`);
    await expect(reader.locator(".errata-list li")).toContainText("The uptime page moved to status.example.com/history.");
    await expectInert(reader, ".letter-errata");
    await checkReader("the letter with an erratum (anonymous)");
    const after = (await anonymous.request.get(`/letters/${FISCAL_YEAR}`)).headers()["etag"];
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);

    const feedResponse = await anonymous.request.get("/letters/feed.xml");
    expect(feedResponse.status()).toBe(200);
    expect(feedResponse.headers()["content-type"]).toContain("application/atom+xml");
    const feed = parseFeed(await feedResponse.text());
    expect(feed.meta.type).toBe("atom");
    const titles = feed.items.map((i) => i.title);
    expect(titles).toContain(`What we promised in FY${FISCAL_YEAR}, and what happened`);
    expect(titles).toContain(`Erratum to What we promised in FY${FISCAL_YEAR}, and what happened`);
    const erratum = feed.items.find((i) => i.title?.startsWith("Erratum"));
    expect(erratum?.url).toContain(`/letters/${FISCAL_YEAR}#erratum-`);
    expect(erratum?.content ?? "").not.toMatch(/<script|\son[a-z]+\s*=|javascript:/i);

    // The public ledger lists the commitment with its outcome and the year's tallies.
    await reader.goto("/ledger");
    await expect(reader.getByRole("heading", { level: 1 })).toHaveText("Public ledger");
    const item = reader.locator(".ledger-item", { hasText: "Ship the audit log export" });
    await expect(item).toContainText("Missed");
    await expect(reader.getByRole("row", { name: new RegExp(`FY${FISCAL_YEAR}`) })).toBeVisible();
    await checkReader("the public ledger");
    await expectAccessible(reader, "public ledger");
    await expectNoHorizontalScroll(reader, "public ledger");
  } finally {
    await anonymous.close();
  }
});

test("the commitment page shows the corpus as text and runs none of it; published commitments are locked", async ({ page }) => {
  const checkXss = watchForXss(page);
  await signIn(page, ADMIN);
  await page.goto(missedPath);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Ship the audit log export");
  await expectInert(page, "main");
  await checkXss("the commitment page");
  // The history says which letter locked it.
  await expect(page.locator("main")).toContainText(`locked when the FY${FISCAL_YEAR} letter was published`);
});

test("a team imports commitments from CSV: the dry run names the bad line, the import lands every row", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto(`/teams/${SLUG}`);
  await page.getByRole("link", { name: /Import commitments/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Import commitments into");
  const due = quarter.end;
  const header = "statement,measure_kind,deliverable_event,evidence_source,due_date,period,audience,tags";
  const good = `"Publish the incident review within 5 working days of every SEV1, by ${due}",deliverable,"Review posted on the status page",Status page archive,${due},${quarter.label},public,Reliability`;
  const bad = `"Rotate every production secret by ${due}",deliverable,"Rotation log shows every secret rotated",Vault audit log,someday,${quarter.label},internal,Security`;
  const csv = field(page, "Or paste the CSV");
  await csv.fill(`${header}\n${good}\n${bad}\n`);
  await page.getByRole("button", { name: "Check (dry run)" }).click();
  await expect(page.getByRole("heading", { name: "1 line needs fixing" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "due_date" });
  await expect(row.getByRole("cell").first()).toHaveText("3");
  await expect(csv).toHaveValue(/someday/);
  await expectAccessible(page, "CSV import with errors");
  await expectNoHorizontalScroll(page, "CSV import");

  await csv.fill(`${header}\n${good}\n${bad.replace("someday", due)}\n`);
  await page.getByRole("button", { name: "Check (dry run)" }).click();
  await expect(page.getByText("All 2 rows can be imported")).toBeVisible();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("Imported 2 commitments")).toBeVisible();
  await page.goto(`/commitments?q=incident`);
  await expect(page.getByRole("link", { name: /Publish the incident review within 5 working days/ })).toBeVisible();
});

test("an admin's full export carries the published letter with the hash shown on its page", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto(`/letters/${FISCAL_YEAR}`);
  const hash = ((await page.locator(".letter-masthead code.hash").textContent()) ?? "").trim();
  await page.goto("/settings");
  const link = page.getByRole("link", { name: "Download the full export" });
  const href = await link.getAttribute("href");
  expect(href).toBeTruthy();
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toContain("attachment");
  const doc = (await response.json()) as { format: string; letters: Array<{ fiscalYear: number; audience: string; sha256: string | null }>; people: Array<Record<string, unknown>> };
  expect(doc.format).toBe("kept-export");
  expect(doc.letters.find((l) => l.fiscalYear === FISCAL_YEAR && l.audience === "public")?.sha256).toBe(hash);
  expect(JSON.stringify(doc.people)).not.toMatch(/password|argon2/i);
});
