// React error #345 came from a click that reached React while the page was still hydrating
// (app/utils/hold-input-until-hydrated.ts). This plays the fastest possible visitor: a click
// dispatched in the same task that starts hydration, which reproduced the error every time.
// Runs in the "first-run" project (any page will do: it needs no data).
import { expect, test } from "./fixtures";

test("a click before the page has hydrated is the browser's, and React never throws", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.route(/\/assets\/entry\.client-[^/]*\.js$/, async (route) => {
    const response = await route.fetch();
    const early = `;document.querySelector('a[href="#main"]').dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));`;
    await route.fulfill({ response, body: `${await response.text()}\n${early}\n` });
  });
  await page.goto("/login");
  // Hydration finishes (the router is up) ...
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
  // ... the early click did what it does without scripts (the skip link moved to #main) ...
  await expect(page).toHaveURL(/#main$/);
  // ... and afterwards input reaches the page again.
  const reached = await page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    let seen = false;
    document.addEventListener("click", () => (seen = true), { once: true });
    document.body.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    return seen;
  });
  expect(reached, "clicks reach the document once hydrated").toBe(true);
  expect(errors).toEqual([]);
});
