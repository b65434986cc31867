import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getOrganisation } from "~/models/organisation.server";
import { getOptionalUser } from "~/utils/session.server";
import { useNonce } from "~/utils/nonce";
import appStyles from "~/styles/app.css?url";
import chartStyles from "~/styles/charts.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "stylesheet", href: chartStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, organisation] = await Promise.all([getOptionalUser(request, context), getOrganisation(context.db)]);
  return {
    user: user ? { id: user.id, name: user.name, role: user.role } : null,
    organisationName: organisation?.name ?? null,
  };
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

function SiteHeader() {
  const data = useRootData();
  const user = data?.user;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <a className="brand" href="/">
          <span aria-hidden="true" className="brand__mark">
            ✓
          </span>{" "}
          Kept{data?.organisationName ? <span className="brand__org"> · {data.organisationName}</span> : null}
        </a>
        {user ? (
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
                <NavLink to="/people">People</NavLink>
              </li>
              {user.role === "admin" ? (
                <li>
                  <NavLink to="/settings">Settings</NavLink>
                </li>
              ) : null}
              <li>
                <NavLink to="/account/tokens">API tokens</NavLink>
              </li>
              <li className="nav__user">
                <span>
                  {user.name} <span className="muted">({user.role})</span>
                </span>
                <Form method="post" action="/logout">
                  <button type="submit" className="button button--link">
                    Sign out
                  </button>
                </Form>
              </li>
            </ul>
          </nav>
        ) : null}
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1} className="main">
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
