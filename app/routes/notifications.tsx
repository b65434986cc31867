import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { markNotificationsRead, readNotifications } from "~/services/notifications.server";
import { actorOf, requireUser } from "~/http/session.server";
import { Moment } from "~/components/dates";

export const meta: MetaFunction = () => [{ title: "Notifications · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { items, unread } = await readNotifications(context.db, actorOf(user));
  return {
    unread,
    items: items.map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      path: n.path,
      unread: n.readAt === null,
      createdAt: n.createdAt.toISOString(),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const marked = await markNotificationsRead(context.db, actorOf(user), new Date());
  return { marked };
}

export default function Notifications() {
  const { items, unread } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Notifications</h1>
      <p className="lead">
        Reminders about your commitments and your teams, also sent by mail if you want them (
        <Link to="/account/notifications">choose which</Link>).
      </p>
      {unread > 0 ? (
        <Form method="post">
          <button type="submit" className="button">
            Mark all {unread} as read
          </button>
        </Form>
      ) : null}
      {items.length === 0 ? (
        <p>
          Nothing yet. Reminders arrive here when a commitment you own needs a check-in, falls due or passes its due date;{" "}
          <Link to="/account/notifications">choose which you get</Link>.
        </p>
      ) : (
        <ol className="stack plain-list" aria-label="Newest first">
          {items.map((n) => (
            <li key={n.id} className="panel">
              <h2>
                <Link to={n.path}>{n.title}</Link>
                {n.unread ? <span className="badge"> new</span> : null}
              </h2>
              <p>{n.body}</p>
              <p className="muted">
                <Moment value={n.createdAt} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
