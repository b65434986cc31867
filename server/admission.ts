// How many requests this process renders at once (ADR 0052). Every request in flight keeps its
// rows, its React tree and its response alive until it ends; twenty at once grew the old
// generation by their sum (ADR 0040), and that, not any one page, set the server's peak RSS.
// Beyond the limit, requests wait their turn in arrival order; when the waiting line is full a
// request is answered 503 with Retry-After at once instead of joining it.
import type { RequestHandler, Response } from "express";
import onHeaders from "on-headers";

export interface AdmissionOptions {
  /** Requests past the gate at once. */
  limit: number;
  /** Requests that may wait for a turn; one more is refused. */
  queueLimit: number;
  /** Called when a request gets past the gate, with the seconds it waited (0 when it did not). */
  onAdmitted?: (waitedSeconds: number) => void;
  /** Answers a request refused because the line is full (a 503 with Retry-After). */
  refuse: (req: Parameters<RequestHandler>[0], res: Response) => void;
  now?: () => number;
}

interface Waiting {
  res: Response;
  next: () => void;
  queuedAt: number;
  leave: () => void;
}

export class AdmissionGate {
  private running = 0;
  /** Requests waiting for a turn, oldest first: at most `queueLimit`, so taking one out is cheap. */
  private readonly line: Waiting[] = [];
  private readonly now: () => number;

  constructor(private readonly options: AdmissionOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Requests past the gate now, and requests waiting for a turn. */
  stats() {
    return { running: this.running, waiting: this.line.length };
  }

  readonly middleware: RequestHandler = (req, res, next) => {
    if (this.running < this.options.limit) {
      this.enter(res);
      this.options.onAdmitted?.(0);
      return next();
    }
    if (this.line.length >= this.options.queueLimit) {
      res.locals.refusedBusy = true;
      return this.options.refuse(req, res);
    }
    // A client that gives up while waiting leaves the line: nobody renders a page for a closed
    // socket, and it no longer counts against the line's limit.
    const entry: Waiting = {
      res,
      next,
      queuedAt: this.now(),
      leave: () => {
        const at = this.line.indexOf(entry);
        if (at >= 0) this.line.splice(at, 1);
      },
    };
    res.once("close", entry.leave);
    this.line.push(entry);
  };

  private enter(res: Response) {
    this.running++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running--;
      this.admitNext();
    };
    // A turn covers the work that holds a request's memory: its loaders, run by the time the
    // headers go out with the render's shell. What follows is the body on its way to the client,
    // which a download streams page by page at the client's pace: held to the end, eight slow
    // downloads of the public log would keep every page waiting. "close" follows "finish" on
    // every response and also ends one whose client went away before any headers.
    onHeaders(res, release);
    res.once("finish", release);
    res.once("close", release);
  }

  private admitNext() {
    while (this.running < this.options.limit) {
      const entry = this.line.shift();
      if (!entry) return;
      entry.res.off("close", entry.leave);
      this.enter(entry.res);
      this.options.onAdmitted?.((this.now() - entry.queuedAt) / 1000);
      entry.next();
    }
  }
}
