using System.Data.Common;
using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlProjectStore(SqlDatabase db) : IProjectStore
{
    private const string Columns = "r.project, r.revision, r.text, r.created, r.actor, r.folder";
    private const string Current = $"SELECT {Columns} FROM projects p JOIN project_revisions r ON r.project = p.name AND r.revision = p.revision";

    public Task ReviseAsync(ProjectRevision revision, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO project_revisions (project, revision, created, actor, folder, text) " +
                "VALUES (@project, @revision, @created, @actor, @folder, @text) ON CONFLICT (project, revision) DO NOTHING", ct,
                ("@project", revision.Project), ("@revision", revision.Revision), ("@created", SqlTime.Format(revision.Created)), ("@actor", revision.Actor),
                ("@folder", revision.Folder), ("@text", revision.Text));
            await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO projects (name, revision, updated) VALUES (@project, @revision, @created) " +
                "ON CONFLICT (name) DO UPDATE SET revision = excluded.revision, updated = excluded.updated", ct,
                ("@project", revision.Project), ("@revision", revision.Revision), ("@created", SqlTime.Format(revision.Created)));
            await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);

    public async Task<ProjectRevision?> GetAsync(string project, CancellationToken ct) =>
        (await db.QueryAsync($"{Current} WHERE p.name = @project", Read, ct, ("@project", project))).SingleOrDefault();

    public async Task<IReadOnlyList<ProjectRevision>> ListAsync(CancellationToken ct) => await db.QueryAsync($"{Current} ORDER BY p.name", Read, ct);

    public async Task<IReadOnlyList<ProjectRevision>> HistoryAsync(string project, CancellationToken ct) =>
        await db.QueryAsync($"SELECT {Columns} FROM project_revisions r WHERE r.project = @project ORDER BY r.created", Read, ct, ("@project", project));

    private static ProjectRevision Read(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), SqlTime.Parse(r.GetString(3)), r.GetString(4), r.GetString(5));
}
