import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useFetchers, useLocation, useMatches, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { can } from "~/domain/permissions";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { releaseHeldInput } from "~/utils/hold-input-until-hydrated";
import { rememberSubmission, restoreUnsent, settleUnsent } from "~/utils/unsent-submission";
import { accentStylesheetPath, logoPath } from "~/domain/branding";
import { unreadCount } from "~/services/notifications.server";
import { getOptionalUser } from "~/http/session.server";
import { organisationFrameOf } from "~/http/organisation-frame.server";
import { useNonce } from "~/utils/nonce";
import appStyles from "~/styles/app.css?url";
import chartStyles from "~/styles/charts.css?url";
import letterStyles from "~/styles/letters.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "stylesheet", href: chartStyles },
  { rel: "stylesheet", href: letterStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, organisation] = await Promise.all([getOptionalUser(request, context), organisationFrameOf(context)]);
  return {
    user: user ? { id: user.id, name: user.name, role: user.role } : null,
    unreadNotifications: user ? await unreadCount(context.db, { id: user.id, role: user.role }) : 0,
    organisationName: organisation?.name ?? null,
    timeZone: organisation?.timeZone ?? "UTC",
    isSample: organisation?.isSample ?? false,
    // The organisation's brand on the public pages (Settings; docs/decisions/0020).
    accentStylesheet: organisation?.accentColour ? accentStylesheetPath(organisation.accentColour) : null,
    logo: organisation?.logoVersion ? logoPath(organisation.logoVersion) : null,
  };
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

/** What a route's `handle` may say about its page. */
interface PageHandle {
  /** Sent to anonymous readers as plain HTML that never hydrates (see useStaticPage). */
  staticForAnonymous?: boolean;
  /** A page of the public site: it carries the organisation's brand for everyone who opens it. */
  publicPage?: boolean;
}

function useHandles(): PageHandle[] {
  return useMatches().map((m) => (m.handle ?? {}) as PageHandle);
}

/**
 * Whether this page wears the organisation's brand (name, logo, accent colour; ADR 0020): every
 * page an anonymous reader sees, and the public pages for signed-in people too, so staff see
 * their public site as their readers do. Their own pages keep Kept's frame.
 */
function useBranded(): boolean {
  const data = useRootData();
  const handles = useHandles();
  return !data?.user || handles.some((h) => h.publicPage === true);
}

function SiteHeader() {
  const data = useRootData();
  const user = data?.user;
  const branded = useBranded();
  // On a phone the navigation is a menu (details/summary, so it opens without JavaScript);
  // after a client-side navigation it closes again, as a new page would.
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  return (
    <header className="site-header">
      <div className="site-header__inner">
        {!branded || !data?.organisationName ? (
          <a className="brand" href="/">
            <span aria-hidden="true" className="brand__mark">
              ✓
            </span>{" "}
            Kept{data?.organisationName ? <span className="brand__org"> · {data.organisationName}</span> : null}
          </a>
        ) : (
          // The public pages show the organisation's name and logo, not Kept's; signed-in people
          // keep their navigation beside it, and the name takes them home.
          <a className="brand brand--public" href={user ? "/" : "/letters"}>
            {data.logo ? <img className="brand__logo" src={data.logo} alt="" /> : null}
            <span>{data.organisationName}</span>
          </a>
        )}
        {user ? (
          <details className="nav-menu" ref={menu}>
            <summary className="nav-menu__button">
              Menu
              {data.unreadNotifications > 0 ? <span className="visually-hidden"> ({data.unreadNotifications} unread notifications)</span> : null}
            </summary>
            <nav aria-label="Main">
              <ul className="nav">
                <li>
                  <NavLink to="/" end>
                    Home
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/commitments">Commitments</NavLink>
                </li>
                <li>
                  <NavLink to="/retrospectives">Retrospectives</NavLink>
                </li>
                <li>
                  <NavLink to="/teams">Teams</NavLink>
                </li>
                <li>
                  <NavLink to="/letters">Letters</NavLink>
                </li>
                <li>
                  <NavLink to="/people">People</NavLink>
                </li>
                {can(user, "organisation.manage") ? (
                  <li>
                    <NavLink to="/settings">Settings</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink to="/notifications">
                    Notifications
                    {data.unreadNotifications > 0 ? (
                      <span className="badge">
                        {" "}
                        {data.unreadNotifications}
                        <span className="visually-hidden"> unread</span>
                      </span>
                    ) : null}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/account/tokens">API tokens</NavLink>
                </li>
                <li className="nav__user">
                  <NavLink to="/account" end>
                    {user.name} <span className="muted">({user.role})</span>
                    <span className="visually-hidden">: your account</span>
                  </NavLink>
                  <Form method="post" action="/logout">
                    <button type="submit" className="button button--link">
                      Sign out
                    </button>
                  </Form>
                </li>
              </ul>
            </nav>
          </details>
        ) : (
          <nav aria-label="Public">
            <ul className="nav">
              <li>
                <NavLink to="/letters">Letters</NavLink>
              </li>
              <li>
                <NavLink to="/ledger">Public ledger</NavLink>
              </li>
              <li>
                <NavLink to="/subscribe">Subscribe</NavLink>
              </li>
            </ul>
          </nav>
        )}
      </div>
    </header>
  );
}

/**
 * Routes whose handle says `{ staticForAnonymous: true }` (published letters, the ledger) are
 * sent to anonymous readers as plain HTML that never hydrates: nothing on them needs
 * JavaScript, the pages stay light, and a cached copy revalidated with a 304 works as it is.
 */
function useStaticPage(): boolean {
  const handles = useHandles();
  const data = useRootData();
  if (data?.user) return false;
  return handles.some((h) => h.staticForAnonymous === true);
}

/**
 * What was typed into a form is kept in the tab until its answer arrives (ADR 0058): a copy as
 * each form is submitted, put back into the form when it is opened again after an error page
 * took its place, with a word to say so.
 */
function UnsentSubmissionKeeper() {
  const location = useLocation();
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    const onSubmit = (event: SubmitEvent) => {
      if (event.target instanceof HTMLFormElement) rememberSubmission(event.target, event.submitter, window.location.pathname + window.location.search, new Date().getTime());
    };
    document.addEventListener("submit", onSubmit, true);
    return () => document.removeEventListener("submit", onSubmit, true);
  }, []);
  useEffect(() => {
    setRestored(restoreUnsent(document, location.pathname + location.search, new Date().getTime()) !== null);
  }, [location.key, location.pathname, location.search]);
  if (!restored) return null;
  return (
    <p className="notice" role="status">
      What you typed before the error is back in the form below. Check it and send it again; if it was saved before the error, it is in Kept already.
    </p>
  );
}

/** Sample data is never mistaken for a real organisation's record: every page says so. */
function SampleDataBanner() {
  const data = useRootData();
  if (!data?.isSample) return null;
  return (
    <div role="note" aria-label="Sample data" className="notice sample-banner">
      <p>
        <strong>Sample data.</strong> This organisation, its people, commitments and letters are invented, so you can see how
        Kept works. Nothing here is real.
      </p>
    </div>
  );
}

/** The public pages show Kept's name only here, small; readers who are staff sign in from it. */
function PublicFooter() {
  const data = useRootData();
  const branded = useBranded();
  if (!branded) return null;
  return (
    <footer className="site-footer">
      <p>
        Published with Kept
        {data?.user ? null : (
          <>
            {" "}
            ·{" "}
            <a href="/login" rel="nofollow">
              Sign in
            </a>
          </>
        )}
      </p>
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  // Rendering here means RemixBrowser has its data: input may reach React (entry.client.tsx).
  releaseHeldInput();
  const nonce = useNonce();
  const isStatic = useStaticPage();
  const data = useRootData();
  const branded = useBranded();
  const accent = data && branded ? data.accentStylesheet : null;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
        {accent ? <link rel="stylesheet" href={accent} /> : null}
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1} className="main">
          <SampleDataBanner />
          {isStatic ? null : <UnsentSubmissionKeeper />}
          {children}
        </main>
        <PublicFooter />
        {isStatic ? null : (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        )}
      </body>
    </html>
  );
}

export default function App() {
  // A submission's answer arrived and the page rendered (not an error page: a nested one renders
  // inside this one, and marks the submission failed first, as a child's effects run first).
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy = navigation.state !== "idle" || fetchers.some((f) => f.state !== "idle");
  const wasBusy = useRef(false);
  useEffect(() => {
    if (wasBusy.current && !busy) settleUnsent(new Date().getTime());
    wasBusy.current = busy;
  }, [busy]);
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
