// API tokens in the browser: created once and shown once, usable by a program at once,
// revoked at once; the token and API reference pages pass axe. Sets Kept up when it finds it
// empty, and reads only its own token's row, so it passes alone and in any order.
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, field, signInAsAdmin, test } from "./fixtures";

/** Unique per run, so a token another spec (or an earlier run on this database) made is never read. */
const TOKEN_NAME = `Quarterly report script ${Date.now().toString(36)}`;

test("a token is shown once, works against the API, and stops working when revoked", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API tokens");
  await expectAccessible(page, "API tokens");

  // A missing name is explained beside the field.
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(field(page, "Name (what will use it)")).toHaveAttribute("aria-invalid", "true");

  await field(page, "Name (what will use it)").fill(TOKEN_NAME);
  await field(page, "Scope").selectOption("write");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^kept_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
  await expectAccessible(page, "API tokens (new token shown)");
  await expectNoHorizontalScroll(page, "API tokens");

  const me = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email: ADMIN.email, tokenScope: "write" });

  // Shown once: a reload lists the token by its prefix only.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: new RegExp(TOKEN_NAME) }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(secret.slice(0, 15));
  await expect(page.locator("body")).not.toContainText(secret.slice(16));

  await page.getByRole("button", { name: `Revoke ${TOKEN_NAME}` }).click();
  await expect(row.getByRole("cell", { name: "revoked", exact: true })).toBeVisible();
  const after = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
  expect(after.headers()["content-type"]).toContain("application/problem+json");
});

test("the API reference page and the OpenAPI document are public and accessible", async ({ page }) => {
  const doc = await page.request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  expect((await doc.json()).openapi).toBe("3.1.0");
  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kept API reference");
  await expect(page.getByRole("heading", { name: "POST /api/v1/commitments", exact: true })).toBeVisible();
  await expectAccessible(page, "API reference");
  await expectNoHorizontalScroll(page, "API reference");
});
