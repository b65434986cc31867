// The foundation, end to end in a real browser against the production build: first-run
// setup, signing in and out, people, teams, what a viewer may not do, cross-origin posts,
// and accessibility of every page.
//
// The file runs on a Kept instance of its own, empty when it starts (./fresh-instance.ts), so
// it passes alone and in any order with the other specs. Its tests run in this order and
// build on each other's data: setup creates the admin, the people test creates the others,
// and so on. They are not serial-mode on purpose: when one fails, the ones after it still run
// and report, since each signs in for itself and finds what it needs by name.
import type { BrowserContext, Page } from "@playwright/test";
import {
  ADMIN,
  expect,
  expectAccessible,
  expectFieldError,
  expectNoFieldError,
  expectNoHorizontalScroll,
  field,
  LEAVER,
  MEMBER,
  ORG_NAME,
  personPath,
  signIn,
  VIEWER,
} from "./fixtures";
import { test } from "./fresh-instance";

async function sessionCookie(context: BrowserContext) {
  const cookies = (await context.cookies()).filter((c) => c.name.endsWith("kept_session"));
  expect(cookies, "exactly one session cookie").toHaveLength(1);
  return cookies[0]!;
}

async function addPerson(page: Page, person: { name: string; email: string; password: string }, role: string) {
  await page.goto("/people");
  await field(page, "Name").fill(person.name);
  await field(page, "Email").fill(person.email);
  await field(page, "Role").selectOption(role);
  await field(page, "Temporary password").fill(person.password);
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}\?added=1$/);
  await expect(page.getByRole("status")).toHaveText("Person added.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(person.name);
}

function fact(page: Page, term: string) {
  return page.locator("dl.facts dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
}

async function createTeam(page: Page, team: { name: string; slug: string; mission?: string; parent?: string }) {
  await page.goto("/teams");
  await field(page, "Name").fill(team.name);
  await field(page, "Address (slug)").fill(team.slug);
  if (team.mission) await field(page, "Mission (one line, optional)").fill(team.mission);
  if (team.parent) await field(page, "Parent team (optional)").selectOption({ label: team.parent });
  await page.getByRole("button", { name: "Create team" }).click();
}

test("the setup page is accessible before anyone exists", async ({ page }) => {
  const response = await page.goto("/setup");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up Kept");
  await expectAccessible(page, "/setup");
  await expectNoHorizontalScroll(page, "/setup");
});

test("first run: setup creates the organisation and signs the admin in, then disappears", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);

  // Nothing filled in: every required field says what is missing, beside it.
  await page.getByRole("button", { name: "Set up Kept" }).click();
  await expectFieldError(field(page, "Organisation name"), "Enter a name.");
  await expectFieldError(field(page, "Your name"), "Enter a name.");
  await expectFieldError(field(page, "Email"), /email address/);
  await expectFieldError(field(page, "Password"), /at least 8 characters/);
  await expect(field(page, "Time zone")).toHaveValue("UTC");

  // A too-short password: only the password complains, and what was typed stays.
  await field(page, "Organisation name").fill(ORG_NAME);
  await field(page, "Fiscal year starts in").selectOption({ label: "July" });
  await field(page, "Your name").fill(ADMIN.name);
  await field(page, "Email").fill(ADMIN.email);
  await field(page, "Password").fill("short");
  await page.getByRole("button", { name: "Set up Kept" }).click();
  await expectFieldError(field(page, "Password"), "Use at least 8 characters.");
  await expect(field(page, "Organisation name")).toHaveValue(ORG_NAME);
  await expect(field(page, "Email")).toHaveValue(ADMIN.email);
  await expectNoFieldError(field(page, "Organisation name"));
  await expectNoFieldError(field(page, "Email"));
  await expect(page).toHaveURL(/\/setup$/);

  await field(page, "Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Set up Kept" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ORG_NAME);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByText(`Welcome, ${ADMIN.name}.`)).toBeVisible();

  // Setup is gone for good once someone exists.
  const again = await page.goto("/setup");
  expect(again?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("sign out, a wrong password, and signing in again with a fresh session", async ({ page, context, request }) => {
  await signIn(page, ADMIN);
  const first = await sessionCookie(context);
  expect(first.httpOnly, "session cookie is HttpOnly").toBe(true);
  expect(first.sameSite, "session cookie is SameSite=Lax").toBe("Lax");
  expect(first.secure, "production session cookie is Secure").toBe(true);
  expect(first.name).toBe("__Host-kept_session");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await context.cookies()).filter((c) => c.name.endsWith("kept_session"))).toHaveLength(0);

  // The signed-out token is dead on the server, not just forgotten by the browser.
  const replay = await request.get("/people", {
    headers: { Cookie: `${first.name}=${first.value}` },
    maxRedirects: 0,
  });
  expect(replay.status(), "a signed-out session token no longer works").toBe(302);
  expect(replay.headers()["location"]).toMatch(/^\/login\?redirectTo=/);

  await page.goto("/login");
  await field(page, "Email").fill(ADMIN.email);
  await field(page, "Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectFieldError(field(page, "Password"), "That email and password do not match an active account.");
  await expect(field(page, "Email")).toHaveValue(ADMIN.email);
  await expect(page).toHaveURL(/\/login$/);

  await field(page, "Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ORG_NAME);

  const second = await sessionCookie(context);
  expect(second.httpOnly).toBe(true);
  expect(second.sameSite).toBe("Lax");
  expect(second.value, "each sign-in issues a new session token").not.toBe(first.value);
  // Control for the replay check above: the same kind of request with the live token works.
  const live = await request.get("/people", { headers: { Cookie: `${second.name}=${second.value}` }, maxRedirects: 0 });
  expect(live.status()).toBe(200);
});

test("people: an admin adds people, changes a role and deactivates someone", async ({ page, browser, baseURL }) => {
  await signIn(page, ADMIN);
  await addPerson(page, MEMBER, "member");
  await expect(fact(page, "Role")).toHaveText("member");
  await addPerson(page, VIEWER, "viewer");
  await expect(fact(page, "Role")).toHaveText("viewer");
  await addPerson(page, LEAVER, "member");

  // A taken email: the error sits beside Email and what was typed stays.
  await page.goto("/people");
  await field(page, "Name").fill("Mo Again");
  await field(page, "Email").fill(MEMBER.email);
  await field(page, "Role").selectOption("viewer");
  await field(page, "Temporary password").fill("another-pass-123");
  await page.getByRole("button", { name: "Add person" }).click();
  await expectFieldError(field(page, "Email"), "already uses");
  await expect(field(page, "Name")).toHaveValue("Mo Again");
  await expect(field(page, "Email")).toHaveValue(MEMBER.email);
  await expect(field(page, "Role")).toHaveValue("viewer");
  // Still on the list (Remix posts index routes to "?index"), not on a new person.
  expect(new URL(page.url()).pathname).toBe("/people");

  const table = page.getByRole("table");
  await expect(table.getByRole("row")).toHaveCount(5); // header + admin + three people
  await expect(table.getByRole("row", { name: new RegExp(MEMBER.name) })).toContainText("member");
  await expect(table.getByRole("row", { name: new RegExp(VIEWER.name) })).toContainText("viewer");

  // Change a role.
  await page.goto(await personPath(page, LEAVER.name));
  await expect(fact(page, "Role")).toHaveText("member");
  await field(page, "Role").selectOption("viewer");
  await page.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByRole("status")).toHaveText("Role changed.");
  await expect(fact(page, "Role")).toHaveText("viewer");

  // Deactivate them: the page and the list say so, and they can no longer sign in.
  await page.getByRole("button", { name: `Deactivate ${LEAVER.name}` }).click();
  await expect(page.getByRole("status")).toHaveText("Deactivated. Their sessions have ended.");
  await expect(page.getByRole("button", { name: `Reactivate ${LEAVER.name}` })).toBeVisible();
  await expect(fact(page, "Status")).toContainText("Deactivated on");
  await page.goto("/people");
  await expect(page.getByRole("row", { name: new RegExp(LEAVER.name) })).toContainText("Deactivated");

  const leaverContext = await browser.newContext({ baseURL });
  try {
    const leaverPage = await leaverContext.newPage();
    await leaverPage.goto("/login");
    await field(leaverPage, "Email").fill(LEAVER.email);
    await field(leaverPage, "Password").fill(LEAVER.password);
    await leaverPage.getByRole("button", { name: "Sign in" }).click();
    await expectFieldError(field(leaverPage, "Password"), "do not match an active account");
  } finally {
    await leaverContext.close();
  }
});

test("teams: an admin builds a team tree and manages members", async ({ page }) => {
  await signIn(page, ADMIN);

  await createTeam(page, { name: "Platform", slug: "platform", mission: "Keep the lights on for every product." });
  await expect(page).toHaveURL(/\/teams\/platform\?created=1$/);
  await expect(page.getByRole("status")).toHaveText("Team created.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Platform");

  await createTeam(page, { name: "Database", slug: "database", parent: "Platform" });
  await expect(page).toHaveURL(/\/teams\/database\?created=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Database");
  await expect(page.locator(".breadcrumb").getByRole("link", { name: "Platform" })).toBeVisible();

  await page.goto("/teams/platform");
  await expect(page.getByRole("region", { name: "Sub-teams" }).getByRole("link", { name: "Database" })).toBeVisible();

  // A taken slug: the error sits beside the slug field and what was typed stays.
  await createTeam(page, { name: "Platform Again", slug: "platform" });
  await expectFieldError(field(page, "Address (slug)"), /already uses the address/);
  await expect(field(page, "Name")).toHaveValue("Platform Again");
  await expect(field(page, "Address (slug)")).toHaveValue("platform");
  expect(new URL(page.url()).pathname).toBe("/teams");
  const tree = page.locator("ul.tree");
  await expect(tree.getByRole("listitem")).toHaveCount(2);
  await expect(tree.getByRole("listitem").filter({ hasText: "Database" })).toContainText("sub-team, level 2");

  // Members: add one as editor and one as viewer, then remove the editor.
  await page.goto("/teams/database");
  await expect(page.getByText("No members yet. Add people below.")).toBeVisible();
  // The member picker is a search field (ADR 0029): an exact e-mail names the person.
  await field(page, "Person").fill(MEMBER.email);
  await field(page, "Team role").selectOption("editor");
  await page.getByRole("button", { name: "Add member" }).click();
  const members = page.getByRole("table", { name: "Members of Database" });
  await expect(members.getByRole("row", { name: new RegExp(MEMBER.name) })).toContainText("Editor: writes commitments");

  await field(page, "Person").fill(VIEWER.email);
  await field(page, "Team role").selectOption("viewer");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(members.getByRole("row", { name: new RegExp(VIEWER.name) })).toContainText("Viewer: reads");

  await page.getByRole("button", { name: `Remove ${MEMBER.name}` }).click();
  await expect(members.getByRole("row", { name: new RegExp(MEMBER.name) })).toHaveCount(0);
  await expect(members.getByRole("row", { name: new RegExp(VIEWER.name) })).toBeVisible();
  // Removed people are offered again in the picker's suggestions.
  await field(page, "Person").fill(MEMBER.name);
  await expect(page.locator(`datalist option[value="${MEMBER.name} <${MEMBER.email}>"]`)).toHaveCount(1);

  await page.reload();
  await expect(members.getByRole("row", { name: new RegExp(MEMBER.name) })).toHaveCount(0);
});

test("a viewer sees no management forms, and the server refuses their posts", async ({ browser, baseURL }) => {
  // Its own context, so the admin's cookies from other tests can never leak in.
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signIn(page, VIEWER);

    await page.goto("/people");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("People");
    await expect(page.getByRole("table").getByRole("link", { name: MEMBER.name })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Add a person" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Add person" })).toHaveCount(0);

    // The form is hidden, but hiding is not the protection: post it anyway.
    const intruder = { name: "Eve Intruder", email: "eve@kept.test" };
    const response = await page.request.post("/people", {
      form: { intent: "add", name: intruder.name, email: intruder.email, role: "admin", password: "intruder-pass-123" },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    expect(response.status(), "a viewer adding a person is forbidden").toBe(403);

    await page.goto(`/people?q=${encodeURIComponent(intruder.email)}`);
    await expect(page.getByText(`Nobody matches “${intruder.email}”.`)).toBeVisible();

    // The same holds for teams and for changing a person.
    await page.goto("/teams");
    await expect(page.getByRole("heading", { name: "Create a team" })).toHaveCount(0);
    const teamPost = await page.request.post("/teams", {
      form: { intent: "create", name: "Shadow", slug: "shadow", mission: "", parentId: "" },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    expect(teamPost.status(), "a viewer creating a team is forbidden").toBe(403);
    const teamPage = await page.goto("/teams/shadow");
    expect(teamPage?.status()).toBe(404);

    const memberPath = await personPath(page, MEMBER.name);
    await page.goto(memberPath);
    await expect(page.getByRole("button", { name: "Change role" })).toHaveCount(0);
    const rolePost = await page.request.post(memberPath, {
      form: { intent: "role", role: "admin" },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    expect(rolePost.status(), "a viewer changing a role is forbidden").toBe(403);
    await page.reload();
    await expect(fact(page, "Role")).toHaveText("member");
  } finally {
    await context.close();
  }
});

test("a form posted from another site is refused", async ({ request, baseURL }) => {
  const evil = await request.post("/login", {
    form: { email: ADMIN.email, password: ADMIN.password },
    headers: { Origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(evil.status()).toBe(403);
  expect(evil.headers()["set-cookie"], "no session for a cross-site post").toBeUndefined();
  expect(await evil.text()).toContain("another site");

  // Control: the same route answers a same-origin post (here, invalid input) normally.
  const own = await request.post("/login", {
    form: { email: "", password: "" },
    headers: { Origin: baseURL! },
    maxRedirects: 0,
  });
  expect(own.status()).toBe(400);
});

test("every page passes axe (WCAG 2.1 A/AA) and fits a phone screen", async ({ page }) => {
  test.setTimeout(90_000);
  // /setup is checked by the first test, while it still exists.
  await page.goto("/login");
  await expectAccessible(page, "/login");
  await expectNoHorizontalScroll(page, "/login");

  // The sign-in form showing an error.
  await field(page, "Email").fill(ADMIN.email);
  await field(page, "Password").fill("still not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(field(page, "Password")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "/login with an error");

  await signIn(page, ADMIN);
  const pages: Array<{ path: string; status?: number }> = [
    { path: "/" },
    { path: "/people" },
    { path: await personPath(page, MEMBER.name) },
    { path: "/teams" },
    { path: "/teams/platform" },
    { path: "/teams/database" },
    { path: "/no-such-page", status: 404 },
  ];
  for (const { path, status = 200 } of pages) {
    const response = await page.goto(path);
    expect.soft(response?.status(), `status of ${path}`).toBe(status);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectAccessible(page, path);
    await expectNoHorizontalScroll(page, path);
  }
});
