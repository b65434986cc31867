// Scale data: a large organisation (by default 200 teams, 400 people, 100,000 commitments)
// for benchmarks and for trying Kept at size. Rows are generated inside the database with
// generate_series, because 100,000 round trips would measure the seeding, not the app.
import { sql } from "drizzle-orm";
import type { Database, Transaction } from "./client";
import { hashPassword } from "../app/utils/password.server";
import { GENESIS_HASH, LOG_FORMAT } from "../app/domain/record-log";
import { RECORD_CHAIN_LOCK_ID } from "../app/models/record-log.server";

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
        due_date, owner_id, audience, tags, lint_score, status, committed_at, committed_by, version
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
             (select id from users where email = 'scale1@example.com'),
             -- Recording an outcome bumps a commitment's version, as the app does (its revision says so).
             case when g.fy >= 2026 and g.g % 3 <> 0 then 1 else 2 end
      from g
      join t on t.n = g.g % ${options.teams}
      join u on u.n = g.g % ${options.people}`);
    // Times of record in whole milliseconds: the log states them as ISO 8601 with milliseconds.
    await tx.execute(sql`
      insert into outcomes (commitment_id, status, resolved_at, actual_value, evidence_url, reason_category, control, explanation, lesson, recorded_by, recorded_at)
      select c.id, c.status, c.due_date + (abs(hashtext(c.id::text)) % 20 - 10),
             c.metric_target + 10,
             case when c.status = 'delivered' then 'https://status.example.com/' || c.id end,
             case when c.status <> 'delivered' then 'underestimated_scope' end,
             case when c.status <> 'delivered' then 'ours' end,
             case when c.status <> 'delivered' then 'Generated explanation.' end,
             case when c.status <> 'delivered' then 'Generated lesson.' end,
             c.committed_by,
             date_trunc('milliseconds', now())
      from commitments c
      where c.status <> 'open' and c.statement like 'Serve p95 checkout latency under %'
      on conflict (commitment_id) do nothing`);
    await tx.execute(sql`
      insert into check_ins (commitment_id, date, forecast, probability, created_by, created_at)
      select c.id, c.period_start + 30, (array['on_track', 'at_risk', 'off_track', 'stalled'])[1 + abs(hashtext(c.id::text)) % 4],
             abs(hashtext(c.id::text)) % 101, c.committed_by, date_trunc('milliseconds', now())
      from commitments c
      where c.statement like 'Serve p95 checkout latency under %'`);
    await writeRecord(tx);
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
  });
  await db.execute(sql`analyze`);
}

/**
 * The record the app would have written for the rows above (ADR 0034): a "create" revision per
 * new commitment, a "check_in" revision per check-in and an "outcome" revision per outcome,
 * appended to the hash chain (format kept-log/1, app/domain/record-log.ts) after its head, so a
 * server started on the seed finds the record intact. Set-wise, because 250,000 revisions one
 * round trip each would measure the seeding: the canonical content text and its SHA-256 are
 * built in SQL for every row at once, then one PL/pgSQL loop over the content hashes links the
 * chain (each link needs the one before) and one INSERT writes it. The content text is
 * canonicalJson of what the log reads back: keys sorted, no whitespace, the changes in the
 * order the app writes them (app/services/commitments.server.ts: only the fields that have a
 * value, "from" null). It holds for the values the seed writes (ASCII text, whole numbers);
 * tests/integration/seed-scale.test.ts checks the seeded record with the app's own check.
 */
async function writeRecord(tx: Transaction): Promise<void> {
  // Appenders elsewhere wait for this transaction, as they do for appendRevisions.
  await tx.execute(sql`select pg_advisory_xact_lock(${RECORD_CHAIN_LOCK_ID})`);
  await tx.execute(sql`
    create temp table seed_new_commitments on commit drop as
    select c.id from commitments c
    where c.statement like 'Serve p95 checkout latency under %'
      and not exists (select 1 from commitment_revisions r where r.commitment_id = c.id)`);
  // One row per revision: (i, field, value) are a change's position, field and new value
  // (jsonb; null when the field has none, and then left out as the app leaves it out).
  await tx.execute(sql`
    create temp table seed_revisions on commit drop as
    with revisions as (
      select c.id as commitment_id, 1 as version, 'create' as kind, c.committed_by as actor_id, c.committed_at as at, 0 as rank,
             null::text as reason, ch.changes, ch.changes_text
      from seed_new_commitments n
      join commitments c on c.id = n.id
      cross join lateral (
        select jsonb_agg(jsonb_build_object('field', f.field, 'from', null, 'to', f.value) order by f.i) as changes,
               '[' || string_agg(${changeText}, ',' order by f.i) || ']' as changes_text
        from (values
          (1, 'statement', to_jsonb(nullif(c.statement, ''))),
          (2, 'details', to_jsonb(nullif(c.details, ''))),
          (3, 'measureKind', to_jsonb(c.measure_kind)),
          (4, 'metricName', to_jsonb(nullif(c.metric_name, ''))),
          (5, 'metricBaseline', to_jsonb(c.metric_baseline)),
          (6, 'metricComparator', to_jsonb(c.metric_comparator)),
          (7, 'metricTarget', to_jsonb(c.metric_target)),
          (8, 'metricUnit', to_jsonb(nullif(c.metric_unit, ''))),
          (9, 'deliverableEvent', to_jsonb(nullif(c.deliverable_event, ''))),
          (10, 'evidenceSource', to_jsonb(nullif(c.evidence_source, ''))),
          (11, 'dueDate', to_jsonb(c.due_date::text)),
          (12, 'periodLabel', to_jsonb(nullif(c.period_label, ''))),
          (13, 'teamId', to_jsonb(c.team_id::text)),
          (14, 'ownerId', to_jsonb(c.owner_id::text)),
          (15, 'audience', to_jsonb(c.audience)),
          (16, 'tags', case when cardinality(c.tags) > 0 then to_jsonb(c.tags) end)
        ) as f(i, field, value)
        where f.value is not null
      ) ch
      union all
      select k.commitment_id, 1, 'check_in', k.created_by, k.created_at, 1, nullif(k.note, ''), ch.changes, ch.changes_text
      from seed_new_commitments n
      join check_ins k on k.commitment_id = n.id
      cross join lateral (
        select jsonb_agg(jsonb_build_object('field', f.field, 'from', null, 'to', f.value) order by f.i) as changes,
               '[' || string_agg(${changeText}, ',' order by f.i) || ']' as changes_text
        from (values
          (1, 'date', to_jsonb(k.date::text)),
          (2, 'forecast', to_jsonb(k.forecast)),
          (3, 'probability', to_jsonb(k.probability)),
          (4, 'progressValue', to_jsonb(k.progress_value))
        ) as f(i, field, value)
        where f.value is not null
      ) ch
      union all
      select o.commitment_id, 2, 'outcome', o.recorded_by, o.recorded_at, 2, null, ch.changes, ch.changes_text
      from seed_new_commitments n
      join outcomes o on o.commitment_id = n.id
      cross join lateral (
        select jsonb_agg(jsonb_build_object('field', f.field, 'from', null, 'to', f.value) order by f.i) as changes,
               '[' || string_agg(${changeText}, ',' order by f.i) || ']' as changes_text
        from (values
          (1, 'status', to_jsonb(o.status)),
          (2, 'resolvedAt', to_jsonb(o.resolved_at::text)),
          (3, 'actualValue', to_jsonb(o.actual_value)),
          (4, 'evidenceUrl', to_jsonb(o.evidence_url)),
          (5, 'partialDescription', to_jsonb(o.partial_description)),
          (6, 'reasonCategory', to_jsonb(o.reason_category)),
          (7, 'control', to_jsonb(o.control)),
          (8, 'explanation', to_jsonb(o.explanation)),
          (9, 'lesson', to_jsonb(o.lesson))
        ) as f(i, field, value)
        where f.value is not null
      ) ch
    )
    select row_number() over (order by r.at, r.rank, r.commitment_id) as n,
           r.commitment_id, r.version, r.kind, r.actor_id, r.at, r.changes, r.reason,
           encode(sha256(convert_to(
             '{"actorId":' || coalesce(to_json(r.actor_id::text)::text, 'null') ||
             ',"at":"' || to_char(r.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ||
             '","changes":' || r.changes_text ||
             ',"commitmentId":' || to_json(r.commitment_id::text)::text ||
             ',"format":' || to_json(${LOG_FORMAT}::text)::text ||
             ',"kind":' || to_json(r.kind)::text ||
             ',"reason":' || coalesce(to_json(r.reason)::text, 'null') ||
             ',"version":' || r.version || '}',
           'UTF8')), 'hex') as content_hash
    from revisions r`);
  // The links: hash = sha256("kept-log/1\n" + seq + "\n" + prev_hash + "\n" + content_hash), from the head.
  await tx.execute(sql.raw(`
    do $chain$
    declare
      head_seq bigint;
      prev text;
      entry_content text;
      i integer := 0;
      prevs text[] := '{}';
      hashes text[] := '{}';
    begin
      select seq, hash into head_seq, prev from commitment_revisions where seq is not null order by seq desc limit 1;
      head_seq := coalesce(head_seq, 0);
      prev := coalesce(prev, '${GENESIS_HASH}');
      for entry_content in select content_hash from seed_revisions order by n loop
        i := i + 1;
        prevs[i] := prev;
        prev := encode(sha256(convert_to('${LOG_FORMAT}' || chr(10) || (head_seq + i) || chr(10) || prev || chr(10) || entry_content, 'UTF8')), 'hex');
        hashes[i] := prev;
      end loop;
      insert into commitment_revisions (commitment_id, version, kind, actor_id, at, changes, reason, seq, prev_hash, content_hash, hash, tx)
      select s.commitment_id, s.version, s.kind, s.actor_id, s.at, s.changes, s.reason, head_seq + s.n, prevs[s.n::int], s.content_hash, hashes[s.n::int], txid_current()
      from seed_revisions s
      order by s.n;
    end
    $chain$`));
}

/** One change {field, from: null, to} as canonical JSON; `f.value` is a jsonb scalar or an array of scalars. */
const changeText = sql.raw(`'{"field":' || to_json(f.field)::text || ',"from":null,"to":' ||
  case when jsonb_typeof(f.value) = 'array'
       then '[' || coalesce((select string_agg(x.v::text, ',' order by x.o) from jsonb_array_elements(f.value) with ordinality as x(v, o)), '') || ']'
       else f.value::text end || '}'`);
