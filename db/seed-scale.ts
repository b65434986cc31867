// Scale data: a large organisation (by default 200 teams, 400 people, 100,000 commitments)
// for benchmarks and for trying Kept at size. Rows are generated inside the database with
// generate_series, because 100,000 round trips would measure the seeding, not the app.
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { hashPassword } from "../app/utils/password.server";

export interface ScaleOptions {
  teams: number;
  people: number;
  commitments: number;
}

export const DEFAULT_SCALE: ScaleOptions = { teams: 200, people: 400, commitments: 100_000 };

export async function seedScale(db: Database, options: ScaleOptions = DEFAULT_SCALE): Promise<void> {
  const passwordHash = await hashPassword("scale-data-password");
  await db.transaction(async (tx) => {
    // Bulk statements over 100,000+ rows outlast the app's per-statement bound on a busy machine.
    await tx.execute(sql`set local statement_timeout = 0`);
    // The record's guards (migration 0013) admit an outcome or check-in only beside a revision
    // appended to the hash chain in the same transaction, which generated rows do not have:
    // the seed writes in replica mode, where ordinary triggers do not fire. That needs a
    // superuser (PGlite's one connection is one; on PostgreSQL use a throwaway server's).
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`
      insert into organisation (id, name, fiscal_year_start_month, time_zone, is_sample)
      values (1, 'Scale Test Org', 1, 'UTC', true) on conflict (id) do nothing`);
    await tx.execute(sql`
      insert into users (email, name, role, password_hash)
      select 'scale' || g || '@example.com', 'Scale Person ' || g,
             case when g = 1 then 'admin' when g % 10 = 0 then 'viewer' else 'member' end, ${passwordHash}
      from generate_series(1, ${options.people}) g
      on conflict (email) do nothing`);
    // A tree: the first tenth are top-level teams, the rest hang below earlier teams.
    await tx.execute(sql`
      insert into teams (slug, name, mission)
      select 'scale-team-' || g, 'Scale Team ' || g, 'Generated team ' || g
      from generate_series(1, ${options.teams}) g
      on conflict (slug) do nothing`);
    await tx.execute(sql`
      update teams t set parent_id = p.id
      from teams p
      where t.slug like 'scale-team-%' and p.slug = 'scale-team-' || (split_part(t.slug, '-', 3)::int / 10)
        and split_part(t.slug, '-', 3)::int >= 10`);
    await tx.execute(sql`
      insert into team_members (team_id, user_id, role)
      select t.id, u.id, 'editor'
      from (select id, row_number() over (order by slug) as n from teams where slug like 'scale-team-%') t
      join (select id, row_number() over (order by email) as n from users where email like 'scale%') u
        on u.n % ${options.teams} = t.n % ${options.teams}
      on conflict do nothing`);
    await tx.execute(sql`
      with t as (select id, row_number() over (order by slug) - 1 as n from teams where slug like 'scale-team-%'),
           u as (select id, row_number() over (order by email) - 1 as n from users where email like 'scale%'),
           g as (
             select g, 2024 + g % 4 as fy, 1 + (g / 4) % 4 as q
             from generate_series(1, ${options.commitments}) g
           )
      insert into commitments (
        team_id, period_label, period_start, period_end, fiscal_year, statement, details, measure_kind,
        metric_name, metric_baseline, metric_comparator, metric_target, metric_unit, evidence_source,
        due_date, owner_id, audience, tags, lint_score, status, committed_at, committed_by
      )
      select t.id,
             'FY' || g.fy || '-Q' || g.q,
             make_date(g.fy, (g.q - 1) * 3 + 1, 1),
             (make_date(g.fy, (g.q - 1) * 3 + 1, 1) + interval '3 months' - interval '1 day')::date,
             g.fy,
             'Serve p95 checkout latency under ' || (100 + g.g % 400) || ' ms in region ' || (g.g % 17) || ' (#' || g.g || ')',
             '',
             'metric', 'p95 checkout latency', 900, 'lte', 100 + g.g % 400, 'ms', 'Grafana SLO dashboard',
             (make_date(g.fy, (g.q - 1) * 3 + 1, 1) + interval '3 months' - interval '1 day' - (g.g % 30) * interval '1 day')::date,
             u.id,
             case when g.g % 3 = 0 then 'internal' else 'public' end,
             array[(array['Reliability', 'Security', 'Cost', 'Growth'])[1 + g.g % 4]],
             -- Public commitments meet the default minimum score (70), as Kept requires of them, so
             -- a year's letter can be published; internal ones range lower.
             case when g.g % 3 = 0 then 60 + g.g % 41 else 70 + g.g % 31 end,
             case when g.fy >= 2026 and g.g % 3 <> 0 then 'open'
                  else (array['delivered', 'delivered', 'delivered', 'partial', 'missed', 'withdrawn'])[1 + g.g % 6] end,
             make_date(g.fy, 1, 1) - interval '20 days' + (g.g % 1000) * interval '1 minute',
             (select id from users where email = 'scale1@example.com')
      from g
      join t on t.n = g.g % ${options.teams}
      join u on u.n = g.g % ${options.people}`);
    await tx.execute(sql`
      insert into outcomes (commitment_id, status, resolved_at, actual_value, evidence_url, reason_category, control, explanation, lesson, recorded_by)
      select c.id, c.status, c.due_date + (abs(hashtext(c.id::text)) % 20 - 10),
             c.metric_target + 10,
             case when c.status = 'delivered' then 'https://status.example.com/' || c.id end,
             case when c.status <> 'delivered' then 'underestimated_scope' end,
             case when c.status <> 'delivered' then 'ours' end,
             case when c.status <> 'delivered' then 'Generated explanation.' end,
             case when c.status <> 'delivered' then 'Generated lesson.' end,
             c.committed_by
      from commitments c
      where c.status <> 'open' and c.statement like 'Serve p95 checkout latency under %'
      on conflict (commitment_id) do nothing`);
    await tx.execute(sql`
      insert into check_ins (commitment_id, date, forecast, probability, created_by)
      select c.id, c.period_start + 30, (array['on_track', 'at_risk', 'off_track', 'stalled'])[1 + abs(hashtext(c.id::text)) % 4],
             abs(hashtext(c.id::text)) % 101, c.committed_by
      from commitments c
      where c.statement like 'Serve p95 checkout latency under %'`);
    // The tag_counts trigger did not fire in replica mode either: count the tags here.
    await tx.execute(sql`
      insert into tag_counts (tag, commitments)
      select t.tag, count(*) from commitments c, unnest(c.tags) as t(tag) group by t.tag
      on conflict (tag) do update set commitments = excluded.commitments`);
    // Nor did the one that keeps commitment_tags (the list's tag filter walks it).
    await tx.execute(sql`
      insert into commitment_tags (commitment_id, tag, due_date, committed_at, lint_score)
      select distinct c.id, t.tag, c.due_date, c.committed_at, c.lint_score
      from commitments c, unnest(c.tags) as t(tag) where t.tag is not null
      on conflict do nothing`);
    // Nor did the ones that keep commitment_stats: its one definition, for every commitment.
    await tx.execute(sql`select kept_refresh_commitment_stats(array(select id from commitments))`);
  });
  await db.execute(sql`analyze`);
}
