// Versioned schema for both ledgers. Append new versions; never edit an applied one.
import { Database } from './database';

export interface Migration {
  version: number;
  name: string;
  /** Statements separated by `;` (none inside literals). */
  sql: string;
  /** Statements given one by one instead, for bodies that hold `;` (functions). */
  statements?: readonly string[];
}

export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'grants, decisions, audit chain, session log, revocations, proof nonces',
    sql: `
      CREATE TABLE grants (
        id text PRIMARY KEY,
        requester text NOT NULL,
        requester_name text NOT NULL,
        role text NOT NULL,
        role_arn text NOT NULL,
        duration_seconds integer NOT NULL CHECK (duration_seconds > 0),
        reason text NOT NULL,
        ticket text,
        state text NOT NULL,
        break_glass boolean NOT NULL DEFAULT false,
        review jsonb,
        decisions jsonb NOT NULL DEFAULT '[]',
        requested_at timestamptz NOT NULL,
        pending_expires_at timestamptz,
        activated_at timestamptz,
        ends_at timestamptz,
        ended_at timestamptz,
        ended_by text,
        end_reason text,
        extends text REFERENCES grants(id),
        version integer NOT NULL DEFAULT 1
      );
      CREATE INDEX grants_state ON grants (state);
      CREATE TABLE audit_head (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL);
      INSERT INTO audit_head VALUES (1, 0, '${'0'.repeat(64)}');
      CREATE TABLE audit (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        grant_id text,
        body text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
      CREATE INDEX audit_at ON audit (at);
      CREATE TABLE session_commands (
        id bigserial PRIMARY KEY,
        grant_id text NOT NULL REFERENCES grants(id),
        at timestamptz NOT NULL,
        username text NOT NULL,
        cwd text NOT NULL,
        command text NOT NULL,
        exit_code integer,
        source text NOT NULL
      );
      CREATE INDEX session_commands_grant ON session_commands (grant_id, at);
      CREATE TABLE api_events (
        grant_id text NOT NULL REFERENCES grants(id),
        event_id text NOT NULL,
        at timestamptz NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (grant_id, event_id)
      );
      CREATE TABLE credential_issues (
        grant_id text NOT NULL REFERENCES grants(id),
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        key_fingerprint text NOT NULL
      );
      CREATE TABLE revocations (
        grant_id text PRIMARY KEY REFERENCES grants(id),
        role text NOT NULL,
        policy_name text NOT NULL,
        cutoff timestamptz NOT NULL,
        remove_after timestamptz NOT NULL,
        attached_at timestamptz,
        removed_at timestamptz
      );
      CREATE TABLE proof_nonces (nonce text PRIMARY KEY, expires_at timestamptz NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'auto-revert journal: one plan per ended grant, one step per changed attribute',
    sql: `
      CREATE TABLE revert_plans (
        grant_id text PRIMARY KEY REFERENCES grants(id),
        ended_at timestamptz NOT NULL,
        state text NOT NULL,
        due_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        planned_at timestamptz,
        note text
      );
      CREATE INDEX revert_plans_due ON revert_plans (state, due_at);
      CREATE TABLE revert_steps (
        grant_id text NOT NULL REFERENCES grants(id),
        seq integer NOT NULL,
        address text NOT NULL,
        resource_type text NOT NULL,
        attribute_path text NOT NULL,
        live_id text,
        expected text NOT NULL,
        target text NOT NULL,
        policy text NOT NULL,
        state text NOT NULL,
        status text NOT NULL,
        reason text,
        due_at timestamptz,
        lease_until timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        planned_at timestamptz NOT NULL,
        finished_at timestamptz,
        PRIMARY KEY (grant_id, seq)
      );
      CREATE INDEX revert_steps_due ON revert_steps (state, due_at);
    `,
  },
  {
    version: 3,
    name: 'scoped grants: the resources a grant may change and the session policy issued for them',
    sql: `
      ALTER TABLE grants ADD COLUMN scope jsonb;
      ALTER TABLE grants ADD COLUMN session_policy text
    `,
  },
  {
    version: 4,
    name: 'team watch: the shared cursor of each watch, and its alerts claimed by id (sent once across broker processes)',
    sql: `
      CREATE TABLE watch_cursors (
        watch_key text PRIMARY KEY,
        cursor jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE watch_alerts (
        watch_key text NOT NULL,
        alert_id text NOT NULL,
        alert jsonb NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        PRIMARY KEY (watch_key, alert_id)
      )
    `,
  },
  {
    version: 5,
    name: 'team watch alerts pushed to editors: a sequence number per claimed alert, the cursor a reconnecting editor resumes from (Last-Event-ID)',
    sql: `
      ALTER TABLE watch_alerts ADD COLUMN seq bigserial;
      CREATE UNIQUE INDEX watch_alerts_seq ON watch_alerts (seq)
    `,
  },
  {
    version: 6,
    name: 'team watch over several roots: the roots each watch routes events to (account, regions, state), and the events no root took, counted',
    sql: `
      CREATE TABLE watch_roots (
        watch_key text NOT NULL,
        root text NOT NULL,
        account text,
        regions jsonb NOT NULL,
        state text,
        events bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (watch_key, root)
      );
      CREATE TABLE watch_ignored (
        watch_key text NOT NULL,
        account text NOT NULL,
        region text NOT NULL,
        events bigint NOT NULL DEFAULT 0,
        last_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (watch_key, account, region)
      )
    `,
  },
  {
    version: 7,
    name: 'audit append in one round trip: lock the head, seal, insert and move the head in the database',
    sql: '',
    // The head row lock orders every append; holding it for one call instead of three statements is
    // what lets concurrent transitions get through. The hash is SHA-256 over the link and the
    // record's canonical JSON with `seq` in place: `head_text || seq || tail_text`, built by
    // `sealParts` (audit-chain.ts); the ledger checks the result against seal() before it commits.
    statements: [`
      CREATE FUNCTION tidemark_audit_append(head_text text, tail_text text, p_at timestamptz, p_kind text, p_grant_id text, p_body text)
      RETURNS TABLE (appended_seq bigint, appended_prev text, appended_hash text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        last_seq bigint;
        last_hash text;
      BEGIN
        SELECT h.seq, h.hash INTO last_seq, last_hash FROM audit_head h WHERE h.id = 1 FOR UPDATE;
        appended_seq := last_seq + 1;
        appended_prev := last_hash;
        appended_hash := encode(sha256(convert_to(last_hash || E'\\n' || head_text || appended_seq::text || tail_text, 'UTF8')), 'hex');
        INSERT INTO audit (seq, at, kind, grant_id, body, prev_hash, hash) VALUES (appended_seq, p_at, p_kind, p_grant_id, p_body, appended_prev, appended_hash);
        UPDATE audit_head SET seq = appended_seq, hash = appended_hash WHERE id = 1;
        RETURN NEXT;
      END
      $fn$`],
  },
  {
    version: 8,
    name: 'a grant transition in one statement: the grant row, its notice, a credential issue and the audit appends, the appends last',
    sql: '',
    // One autocommit call per transition instead of BEGIN, statements and COMMIT: the head lock is
    // taken by the first append and released by the commit that ends this same statement, with no
    // round trip to the broker in between. p_prior_version NULL inserts the grant; otherwise the row
    // is written only over that version, and when it has another nothing at all is done (no rows
    // returned). Each audit element carries the SHA-256 of its variable text as the broker encoded
    // it: a database that sees other bytes raises, so the statement and its appends roll back.
    statements: [`
      CREATE FUNCTION tidemark_grant_write(p_grant jsonb, p_prior_version integer, p_channel text, p_notice text, p_issue jsonb, p_audits jsonb)
      RETURNS TABLE (appended_seq bigint, appended_prev text, appended_hash text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        g grants;
        a jsonb;
      BEGIN
        IF p_grant IS NOT NULL THEN
          g := jsonb_populate_record(NULL::grants, p_grant);
          IF p_prior_version IS NULL THEN
            INSERT INTO grants SELECT g.*;
          ELSE
            UPDATE grants SET requester = g.requester, requester_name = g.requester_name, role = g.role, role_arn = g.role_arn,
              duration_seconds = g.duration_seconds, reason = g.reason, ticket = g.ticket, state = g.state, break_glass = g.break_glass,
              review = g.review, decisions = g.decisions, requested_at = g.requested_at, pending_expires_at = g.pending_expires_at,
              activated_at = g.activated_at, ends_at = g.ends_at, ended_at = g.ended_at, ended_by = g.ended_by, end_reason = g.end_reason,
              extends = g.extends, version = g.version, scope = g.scope, session_policy = g.session_policy
            WHERE id = g.id AND version = p_prior_version;
            IF NOT FOUND THEN RETURN; END IF;
          END IF;
          PERFORM pg_notify(p_channel, p_notice);
        END IF;
        IF p_issue IS NOT NULL THEN
          INSERT INTO credential_issues (grant_id, issued_at, expires_at, key_fingerprint)
          VALUES (p_issue->>'grantId', (p_issue->>'issuedAt')::timestamptz, (p_issue->>'expiresAt')::timestamptz, p_issue->>'keyFingerprint');
        END IF;
        FOR a IN SELECT value FROM jsonb_array_elements(p_audits) LOOP
          IF encode(sha256(convert_to((a->>'before') || E'\\n' || (a->>'after'), 'UTF8')), 'hex') <> a->>'textHash' THEN
            RAISE EXCEPTION 'the ledger database encodes audit text differently from the broker (is its encoding UTF8?); nothing was recorded';
          END IF;
          RETURN QUERY SELECT * FROM tidemark_audit_append(a->>'before', a->>'after', (a->>'at')::timestamptz, a->>'kind', a->>'grantId', a->>'body');
        END LOOP;
      END
      $fn$`],
  },
];

/** Applies missing migrations in order; safe when several team brokers start at once. */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    // Serialises brokers starting together (even CREATE TABLE IF NOT EXISTS races otherwise).
    await tx.query('SELECT pg_advisory_xact_lock(7340021)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      for (const statement of m.statements ?? splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      done.push(m.version);
    }
    return done;
  });
}

/** Extended-protocol queries take one statement each; the migration text has no `;` inside literals. */
function splitStatements(sql: string): string[] {
  return sql.split(';').map((s) => s.trim()).filter(Boolean);
}
