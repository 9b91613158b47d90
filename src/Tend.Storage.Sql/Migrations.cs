using System.Data.Common;
using Tend.Core.Errors;
using Tend.Storage.Sql.Dialects;

namespace Tend.Storage.Sql;

/// <summary>The versioned schema of the metadata store. Append a new version; never edit one that has shipped.</summary>
internal static class Migrations
{
    /// <summary>Times are ISO-8601 UTC text (sortable, the same in both dialects); nested values are JSON text.</summary>
    private static IReadOnlyList<string[]> All(SqlDialect d) =>
    [
        // 1: the walking skeleton's aggregates
        [
            "CREATE TABLE datasets (name TEXT NOT NULL, version TEXT NOT NULL, created TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (name, version))",
            "CREATE TABLE runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, body TEXT NOT NULL)",
            "CREATE TABLE model_versions (name TEXT NOT NULL, version BIGINT NOT NULL, created TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (name, version))",
            "CREATE TABLE model_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, version BIGINT NOT NULL, moved TEXT NOT NULL, PRIMARY KEY (name, alias))",
            $"CREATE TABLE audit_events (sequence {d.IdentityKey}, time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)",
            "CREATE TABLE predictions (request_id TEXT PRIMARY KEY, model TEXT NOT NULL, time TEXT NOT NULL, body TEXT NOT NULL)",
            "CREATE INDEX predictions_by_model_time ON predictions (model, time)",
            "CREATE TABLE feedback (request_id TEXT PRIMARY KEY, label TEXT NOT NULL, time TEXT NOT NULL)",
            "CREATE TABLE monitor_reports (id TEXT PRIMARY KEY, created TEXT NOT NULL, body TEXT NOT NULL)",
            "CREATE TABLE pipeline_runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, body TEXT NOT NULL)",
        ],
        // 2: run tracking in depth. Runs get an integer key that their params, tags, artifacts and metrics refer to (integer joins
        // keep queries over 100,000 runs fast), queryable attributes, and metric histories (Unix-millisecond times).
        [
            $"CREATE TABLE tracked_runs (seq {d.IdentityKey}, id TEXT NOT NULL UNIQUE, started TEXT NOT NULL, project TEXT NOT NULL, " +
                "parent TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, dataset TEXT NOT NULL, ended TEXT, log_sequence BIGINT NOT NULL, body TEXT NOT NULL)",
            "INSERT INTO tracked_runs (id, started, project, parent, name, status, dataset, ended, log_sequence, body) " +
                $"SELECT id, started, {d.JsonText("body", "project")}, '', '', {d.JsonText("body", "status")}, {d.JsonText("body", "dataset")}, {d.JsonText("body", "ended")}, 0, body FROM runs ORDER BY started",
            "DROP TABLE runs",
            "ALTER TABLE tracked_runs RENAME TO runs",
            "CREATE INDEX runs_by_started ON runs (started)",
            "CREATE INDEX runs_by_parent ON runs (parent, started)",
            "CREATE TABLE run_params (run BIGINT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run, key))",
            "CREATE INDEX run_params_by_key ON run_params (key, value, run)",
            "CREATE TABLE run_tags (run BIGINT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run, key))",
            "CREATE INDEX run_tags_by_key ON run_tags (key, value, run)",
            "CREATE TABLE run_artifacts (run BIGINT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run, key))",
            "CREATE INDEX run_artifacts_by_artifact ON run_artifacts (value)",
            $"CREATE TABLE run_metrics (id {d.IdentityKey}, run BIGINT NOT NULL, key TEXT NOT NULL, value DOUBLE PRECISION, step BIGINT NOT NULL, time BIGINT NOT NULL, points BIGINT NOT NULL, UNIQUE (run, key))",
            "CREATE INDEX run_metrics_by_key ON run_metrics (key, value, run)",
            "CREATE TABLE metric_points (series BIGINT NOT NULL, step BIGINT NOT NULL, time BIGINT NOT NULL, value DOUBLE PRECISION)",
            "CREATE INDEX metric_points_by_series ON metric_points (series, step)",
            $"INSERT INTO run_params (run, key, value) SELECT r.seq, e.key, e.value FROM runs r, {d.JsonEntries("r.body", "params")} e",
            $"INSERT INTO run_artifacts (run, key, value) SELECT r.seq, e.key, e.value FROM runs r, {d.JsonEntries("r.body", "artifacts")} e",
            $"INSERT INTO run_metrics (run, key, value, step, time, points) SELECT r.seq, e.key, CASE WHEN e.value IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE CAST(e.value AS DOUBLE PRECISION) END, 0, 0, 1 FROM runs r, {d.JsonEntries("r.body", "metrics")} e",
            "INSERT INTO metric_points (series, step, time, value) SELECT id, 0, 0, value FROM run_metrics",
        ],
        // 3: governance. Stored evaluations, approval requests, the history of every alias move (the alias moves of
        // earlier builds are known only by their current position, kept as the first move), and audit events with the
        // subject's state before and after.
        [
            "CREATE TABLE evaluations (id TEXT PRIMARY KEY, run_id TEXT NOT NULL, created TEXT NOT NULL, body TEXT NOT NULL)",
            "CREATE INDEX evaluations_by_run ON evaluations (run_id, created)",
            "CREATE TABLE approval_requests (id TEXT PRIMARY KEY, status TEXT NOT NULL, created TEXT NOT NULL, body TEXT NOT NULL)",
            $"CREATE TABLE alias_moves (sequence {d.IdentityKey}, name TEXT NOT NULL, alias TEXT NOT NULL, from_version BIGINT, to_version BIGINT NOT NULL, " +
                "actor TEXT NOT NULL, reason TEXT NOT NULL, kind TEXT NOT NULL, time TEXT NOT NULL)",
            "CREATE INDEX alias_moves_by_alias ON alias_moves (name, alias, sequence)",
            "INSERT INTO alias_moves (name, alias, from_version, to_version, actor, reason, kind, time) SELECT name, alias, NULL, version, '', 'moved before alias history was kept', 'promote', moved FROM model_aliases ORDER BY moved",
            "ALTER TABLE audit_events ADD COLUMN state_before TEXT",
            "ALTER TABLE audit_events ADD COLUMN state_after TEXT",
            "CREATE INDEX audit_events_by_subject ON audit_events (subject, sequence)",
        ],
        // 4: deployments: a canary and a shadow beside each model's champion.
        [
            "CREATE TABLE deployments (model TEXT PRIMARY KEY, updated TEXT NOT NULL, body TEXT NOT NULL)",
        ],
        // 5: alerts: every firing of a monitor's alert rule, its deliveries and acknowledgement.
        [
            "CREATE TABLE alerts (id TEXT PRIMARY KEY, rule TEXT NOT NULL, fired TEXT NOT NULL, body TEXT NOT NULL)",
            "CREATE INDEX alerts_by_rule ON alerts (rule, fired)",
        ],
        // 6: the prediction log keeps each list of feature names once; a record holds its list's id and the values in order.
        [
            "CREATE TABLE feature_sets (id TEXT PRIMARY KEY, names TEXT NOT NULL)",
        ],
        // 7: projects: each tend.yaml revision, content-addressed, and the one each project is at. A store from before
        // has none; its project is registered the first time a command opens it.
        [
            "CREATE TABLE project_revisions (project TEXT NOT NULL, revision TEXT NOT NULL, created TEXT NOT NULL, actor TEXT NOT NULL, folder TEXT NOT NULL, text TEXT NOT NULL, " +
                "PRIMARY KEY (project, revision))",
            "CREATE TABLE projects (name TEXT PRIMARY KEY, revision TEXT NOT NULL, updated TEXT NOT NULL)",
        ],
        // 8: a run's heartbeat, beaten by the process that runs it (its owner); a running run whose owner is gone is ended as killed.
        [
            "ALTER TABLE runs ADD COLUMN heartbeat TEXT",
            "ALTER TABLE runs ADD COLUMN owner TEXT",
            "CREATE INDEX runs_by_heartbeat ON runs (status, heartbeat)",
        ],
        // 9: identity: API tokens, found by the SHA-256 of their secret (never the secret), and the roles granted per project.
        [
            "CREATE TABLE tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, subject TEXT NOT NULL, created TEXT NOT NULL, last_used TEXT, body TEXT NOT NULL)",
            "CREATE TABLE grants (subject TEXT NOT NULL, project TEXT NOT NULL, role TEXT NOT NULL, granted TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (subject, project, role))",
        ],
        // 10: a pipeline run is recorded when it starts: its pipeline (its project's name and its own, to keep one running at a time), its state, the heartbeat of the process running it (its owner), and who asked to cancel it.
        [
            "ALTER TABLE pipeline_runs ADD COLUMN state TEXT NOT NULL DEFAULT 'ended'",
            "ALTER TABLE pipeline_runs ADD COLUMN heartbeat TEXT",
            "ALTER TABLE pipeline_runs ADD COLUMN owner TEXT",
            "ALTER TABLE pipeline_runs ADD COLUMN cancelled_by TEXT",
            "ALTER TABLE pipeline_runs ADD COLUMN pipeline TEXT NOT NULL DEFAULT ''",
        ],
        // 11: releases: a challenger's judged way to champion, one active per model; the revision lets two processes decide without overwriting each other.
        [
            "CREATE TABLE releases (id TEXT PRIMARY KEY, model TEXT NOT NULL, active INTEGER NOT NULL, revision INTEGER NOT NULL, started TEXT NOT NULL, body TEXT NOT NULL)",
            "CREATE INDEX releases_by_model ON releases (model, active, started)",
        ],
        // 12: jobs handed to the processes that run them (trainings, a search's trials), with the fencing number of their latest attempt.
        [
            "CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, fence BIGINT NOT NULL, created TEXT NOT NULL, body TEXT NOT NULL)",
        ],
        // 13: the observation of each watched source that a pipeline's trigger last acted on, moved by compare-and-set so one server acts on a change.
        [
            "CREATE TABLE source_watermarks (key TEXT PRIMARY KEY, observed TEXT NOT NULL, moved TEXT NOT NULL)",
        ],
    ];

    public static async Task ApplyAsync(SqlDatabase db, CancellationToken ct)
    {
        if (await IsCurrentAsync(db, ct))
            return; // every command opens the store: a read, not a write transaction, when there is nothing to apply
        await db.WriteAsync(async (connection, transaction) =>
        {
            await SqlDatabase.ExecuteAsync(connection, transaction,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied TEXT NOT NULL)", ct);
            var applied = (await SqlDatabase.QueryAsync(connection, transaction, "SELECT version FROM schema_migrations", r => r.GetInt64(0), ct)).ToHashSet();
            var all = All(db.Dialect);
            if (applied.Count > 0 && applied.Max() > all.Count)
                throw new TendException(ErrorCode.Conflict,
                    $"the metadata store has schema version {applied.Max()}, and this tend knows versions up to {all.Count}: a newer tend wrote it, so use that one");
            for (var version = 1; version <= all.Count; version++)
            {
                if (applied.Contains(version))
                    continue;
                foreach (var statement in all[version - 1])
                    await SqlDatabase.ExecuteAsync(connection, transaction, statement, ct);
                await SqlDatabase.ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, applied) VALUES (@v, @t)", ct,
                    ("@v", (long)version), ("@t", SqlTime.Format(DateTimeOffset.UtcNow)));
            }
        }, ct);
    }

    /// <summary>Whether every migration this tend knows, and no other, is applied; false when the store is new.</summary>
    private static async Task<bool> IsCurrentAsync(SqlDatabase db, CancellationToken ct)
    {
        try
        {
            var versions = await db.QueryAsync("SELECT version FROM schema_migrations", r => r.GetInt64(0), ct);
            var known = All(db.Dialect).Count;
            return versions.Count == known && versions.All(v => v is >= 1 && v <= known);
        }
        catch (DbException)
        {
            return false; // no schema_migrations table yet
        }
    }
}
