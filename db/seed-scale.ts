// Scale data: a large organisation (by default 200 teams, 400 people, 100,000 commitments)
// for benchmarks and for trying Kept at size. Rows are generated inside the database with
// generate_series, because 100,000 round trips would measure the seeding, not the app.
import { sql, type SQL } from "drizzle-orm";
import type { Database, Transaction } from "./client";
import { hashPassword } from "../app/utils/password.server";
import { GENESIS_HASH, linkText, LOG_FORMAT } from "../app/domain/record-log";
import { RECORD_CHAIN_LOCK_ID, sha256Hex } from "../app/models/record-log.server";
import { rowsOf } from "../app/models/rows.server";

export interface ScaleOptions {
  teams: number;
  people: number;
  commitments: number;
  /** Rows per batch where the seed works through them in Node or per call (tests make it small to cross batches). */
  batch?: number;
}

/**
 * Rows per batch: links of the hash chain computed and written per statement (about 7 MB of
 * hashes each way), commitments whose stats one call recomputes. Whatever the seed's size, the
 * seeding process holds one batch (ADR 0038).
 */
export const SEED_BATCH = 50_000;

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
    await writeRecord(tx, options.batch ?? SEED_BATCH);
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
    // Nor did the ones that keep commitment_stats: its one definition, for every commitment, a
    // batch of commitments per call (one array of a million ids is one call's memory).
    for (let after = "00000000-0000-0000-0000-000000000000"; ; ) {
      const [page] = rowsOf<{ last: string | null }>(
        await tx.execute(sql`
          with page as (select id from commitments where id > ${after}::uuid order by id limit ${options.batch ?? SEED_BATCH})
          select kept_refresh_commitment_stats(array(select id from page)) as refreshed,
                 (select id::text from page order by id desc limit 1) as last`),
      );
      if (!page?.last) break;
      after = page.last;
    }
  });
  await db.execute(sql`analyze`);
}

/**
 * The record the app would have written for the rows above (ADR 0034): a "create" revision per
 * new commitment, a "check_in" revision per check-in and an "outcome" revision per outcome,
 * appended to the hash chain (format kept-log/1, app/domain/record-log.ts) after its head, so a
 * server started on the seed finds the record intact. Set-wise, because 250,000 revisions one
 * round trip each would measure the seeding: each revision's changes and its canonical content
 * text, and that text's SHA-256, are built in SQL for every row at once; the links (each needs
 * the one before) are computed here from the content hashes alone, with the app's own link
 * format, and one INSERT writes the chain. The content text is canonicalJson of what the log
 * reads back: keys sorted, no whitespace, the changes in the order the app writes them
 * (app/services/commitments.server.ts: only the fields that have a value, "from" null). It holds
 * for the values the seed writes (ASCII text, whole numbers);
 * tests/integration/seed-scale.test.ts checks the seeded record with the app's own check.
 */
async function writeRecord(tx: Transaction, batch: number): Promise<void> {
  // Appenders elsewhere wait for this transaction, as they do for appendRevisions.
  await tx.execute(sql`select pg_advisory_xact_lock(${RECORD_CHAIN_LOCK_ID})`);
  await tx.execute(sql`
    create temp table seed_revisions on commit drop as
    with fresh as (
      select c.* from commitments c
      where c.statement like 'Serve p95 checkout latency under %'
        and not exists (select 1 from commitment_revisions r where r.commitment_id = c.id)
    ),
    revisions as (
      select c.id as commitment_id, 1 as version, 'create' as kind, c.committed_by as actor_id, c.committed_at as at, 0 as rank, null::text as reason,
             ${changesText([
               ["statement", sql`nullif(c.statement, '')`],
               ["details", sql`nullif(c.details, '')`],
               ["measureKind", sql`c.measure_kind`],
               ["metricName", sql`nullif(c.metric_name, '')`],
               ["metricBaseline", sql`c.metric_baseline`],
               ["metricComparator", sql`c.metric_comparator`],
               ["metricTarget", sql`c.metric_target`],
               ["metricUnit", sql`nullif(c.metric_unit, '')`],
               ["deliverableEvent", sql`nullif(c.deliverable_event, '')`],
               ["evidenceSource", sql`nullif(c.evidence_source, '')`],
               ["dueDate", sql`c.due_date::text`],
               ["periodLabel", sql`nullif(c.period_label, '')`],
               ["teamId", sql`c.team_id::text`],
               ["ownerId", sql`c.owner_id::text`],
               ["audience", sql`c.audience`],
               ["tags", sql`case when cardinality(c.tags) > 0 then c.tags end`],
             ])} as changes_text
      from fresh c
      union all
      select k.commitment_id, 1, 'check_in', k.created_by, k.created_at, 1, nullif(k.note, ''),
             ${changesText([
               ["date", sql`k.date::text`],
               ["forecast", sql`k.forecast`],
               ["probability", sql`k.probability`],
               ["progressValue", sql`k.progress_value`],
             ])}
      from fresh c join check_ins k on k.commitment_id = c.id
      union all
      select o.commitment_id, 2, 'outcome', o.recorded_by, o.recorded_at, 2, null,
             ${changesText([
               ["status", sql`o.status`],
               ["resolvedAt", sql`o.resolved_at::text`],
               ["actualValue", sql`o.actual_value`],
               ["evidenceUrl", sql`o.evidence_url`],
               ["partialDescription", sql`o.partial_description`],
               ["reasonCategory", sql`o.reason_category`],
               ["control", sql`o.control`],
               ["explanation", sql`o.explanation`],
               ["lesson", sql`o.lesson`],
             ])}
      from fresh c join outcomes o on o.commitment_id = c.id
    )
    select row_number() over (order by r.at, r.rank, r.commitment_id) as n,
           r.commitment_id, r.version, r.kind, r.actor_id, r.at, r.changes_text::jsonb as changes, r.reason,
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
  // The links: hash = sha256("kept-log/1\n" + seq + "\n" + prev_hash + "\n" + content_hash),
  // from the head; 64 characters a revision travel each way. A batch of revisions at a time
  // (ADR 0038): at 1,000,000 commitments the chain is 2.7 million links, which as one array (and
  // one JSON parameter of 180 MB) would hold the seeding process's memory and PostgreSQL's
  // jsonb limit hostage; a batch holds SEED_BATCH of them, the next starting from the last hash.
  await tx.execute(sql`create index on seed_revisions (n)`);
  const [head] = rowsOf<{ seq: number; hash: string }>(
    await tx.execute(sql`select seq::int as seq, hash from commitment_revisions where seq is not null order by seq desc limit 1`),
  );
  const first = (head?.seq ?? 0) + 1;
  let prev = head?.hash ?? GENESIS_HASH;
  for (let from = 1; ; from += batch) {
    const contentHashes = rowsOf<{ content_hash: string }>(
      await tx.execute(sql`select content_hash from seed_revisions where n >= ${from} and n < ${from + batch} order by n`),
    );
    if (contentHashes.length === 0) break;
    const before = prev;
    const hashes = contentHashes.map((r, i) => (prev = sha256Hex(linkText(first + from - 1 + i, prev, r.content_hash))));
    await tx.execute(sql`
      insert into commitment_revisions (commitment_id, version, kind, actor_id, at, changes, reason, seq, prev_hash, content_hash, hash, tx)
      select s.commitment_id, s.version, s.kind, s.actor_id, s.at, s.changes, s.reason, ${first - 1} + s.n,
             coalesce(lag(h.hash) over (order by s.n), ${before}::text), s.content_hash, h.hash, txid_current()
      from seed_revisions s
      join jsonb_array_elements_text(${JSON.stringify(hashes)}::jsonb) with ordinality as h(hash, k) on s.n = ${from - 1} + h.k
      order by s.n`);
    if (contentHashes.length < batch) break;
  }
}

/**
 * A revision's changes as canonical JSON text, [{"field":…,"from":null,"to":…},…], in the order
 * given, leaving out the fields whose value is null (concat_ws skips nulls). Values are written
 * by to_json, as JSON.stringify writes text, whole numbers and arrays of text.
 */
function changesText(fields: Array<[string, SQL]>): SQL {
  const pieces = fields.map(([field, value]) => sql`'{"field":' || ${sql.raw(`'${JSON.stringify(field)}'`)} || ',"from":null,"to":' || to_json(${value})::text || '}'`);
  return sql`'[' || concat_ws(',', ${sql.join(pieces, sql`, `)}) || ']'`;
}
