import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// React's renderer stands in for itself here: each test drives the callbacks a render makes
// (shell ready, all ready, shell error) and sees what handleRequest does with its abort timer.
interface Render {
  callbacks: { onShellReady?: () => void; onAllReady?: () => void; onShellError?: (error: unknown) => void };
  abort: ReturnType<typeof vi.fn>;
  pipe: ReturnType<typeof vi.fn>;
}
const renders: Render[] = [];
vi.mock("react-dom/server", () => ({
  renderToPipeableStream: (_element: unknown, callbacks: Render["callbacks"]) => {
    const render: Render = {
      callbacks,
      abort: vi.fn(),
      pipe: vi.fn((body: NodeJS.WritableStream) => body.end("<!DOCTYPE html><p>page</p>")),
    };
    renders.push(render);
    return { abort: render.abort, pipe: render.pipe };
  },
}));

const { default: handleRequest, streamTimeout } = await import("./entry.server");

function request(userAgent: string) {
  const headers = new Headers();
  // A Response for a 304, a promise of one otherwise.
  const response = Promise.resolve(
    handleRequest(
      new Request("http://localhost/commitments", { headers: { "User-Agent": userAgent } }),
      200,
      headers,
      {} as EntryContext,
      { cspNonce: "n" } as unknown as AppLoadContext,
    ),
  );
  return { response, render: renders[renders.length - 1]! };
}

const PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";
const BOT = "Googlebot/2.1 (+http://www.google.com/bot.html)";

describe("handleRequest's abort timer (ADR 0052)", () => {
  beforeEach(() => {
    renders.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("is cleared once the render is complete, so nothing holds a finished render for the delay", async () => {
    const { response, render } = request(PERSON);
    expect(vi.getTimerCount()).toBe(1);
    render.callbacks.onShellReady!();
    const res = await response;
    expect(await res.text()).toBe("<!DOCTYPE html><p>page</p>");
    // The shell went out; the rest of the render is still under way and still bounded.
    expect(vi.getTimerCount()).toBe(1);
    render.callbacks.onAllReady!();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(streamTimeout * 2);
    expect(render.abort).not.toHaveBeenCalled();
  });

  it("still cuts short a render that is not complete after the delay", async () => {
    const { response, render } = request(PERSON);
    render.callbacks.onShellReady!();
    await response;
    vi.advanceTimersByTime(streamTimeout - 1);
    expect(render.abort).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(render.abort).toHaveBeenCalledTimes(1);
  });

  it("answers a bot only once the whole document is rendered, and clears the timer then", async () => {
    const { response, render } = request(BOT);
    let answered = false;
    void response.then(() => (answered = true));
    render.callbacks.onShellReady!();
    await Promise.resolve();
    expect(answered).toBe(false);
    expect(render.pipe).not.toHaveBeenCalled();
    render.callbacks.onAllReady!();
    expect(await (await response).text()).toBe("<!DOCTYPE html><p>page</p>");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("clears the timer when the shell fails, and the request fails with the render's error", async () => {
    const { response, render } = request(PERSON);
    const error = new Error("the shell failed");
    render.callbacks.onShellError!(error);
    await expect(response).rejects.toBe(error);
    expect(vi.getTimerCount()).toBe(0);
  });
});
