using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Backends;
using Tend.Cli.Rendering;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines.Services;

namespace Tend.Cli.Commands;

/// <summary><c>tend tokens create|list|revoke</c> and <c>tend access grant|revoke|list</c>, on the local store (as the machine's user) or a server (as the signed-in identity).</summary>
internal static class AccessCommands
{
    private static readonly Argument<string> Name = new("name") { Description = "What the token is for (e.g. ci-deploy)" };
    private static readonly Option<string?> Subject = new("--subject") { Description = "Whose token it is: a person's name (default: you, as the audit trail names you)" };
    private static readonly Option<string?> ServiceAccount = new("--service-account") { Description = "Make a service account's token (tend_sa_…) for automation, named this" };
    private static readonly Option<string[]> Scopes = new("--scope")
    {
        Description = "What the token may do, within its holder's roles: read, predict, contribute, approve, deploy, admin (default: all)",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<int> Days = new("--days") { Description = "Days until it expires (1–366; expiry is mandatory)", DefaultValueFactory = _ => TokenRequest.DefaultDays };
    private static readonly Argument<string> Id = new("id") { Description = "The token's id (tend tokens list)" };
    private static readonly Argument<string> Who = new("subject") { Description = "A person's name, a service account, or an identity provider's subject" };
    private static readonly Argument<string> RoleName = new("role") { Description = "viewer, contributor, approver, deployer or admin" };
    private static readonly Option<string?> Project = new("--project") { Description = "The project (default: this workspace's); * for every project" };
    private static readonly Option<string?> OfSubject = new("--subject") { Description = "Only this subject's roles" };

    public static Command Tokens(CliConsole console)
    {
        var create = new Command("create", "Make an API token; its secret is shown once and only its hash is kept") { Name, Subject, ServiceAccount, Scopes, Days }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var service = parsed.GetValue(ServiceAccount);
            if (service is not null && parsed.GetValue(Subject) is not null)
                throw TendException.BadUsage("name the token's holder once: --subject for a person, --service-account for automation");
            var scopes = parsed.GetValue(Scopes)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(s => Choice.Parse<Permission>("scope", s)).ToList();
            var (token, secret) = await tend.CreateTokenAsync(parsed.GetValue(Name)!, service ?? parsed.GetValue(Subject), service is null ? TokenKind.Person : TokenKind.Service, scopes, parsed.GetValue(Days), ct);
            cli.Emit(new { token, secret }, o =>
            {
                o.MarkupLineInterpolated($"Token [bold]{token.Id}[/] ({token.Name}) for {token.Subject}, expires {token.Expires:u}. Its secret, shown [bold]once[/]:");
                o.WriteLine();
                o.WriteLine("    " + secret);
                o.WriteLine();
            });
            return 0;
        });
        var list = new Command("list", "Every token: whose, what for, scopes, expiry, last use, revoked; never a secret").Team(console, async (_, cli, tend, ct) =>
        {
            var tokens = await tend.TokensAsync(ct);
            cli.Emit(new { tokens }, o =>
            {
                var table = new Table().AddColumns("id", "name", "subject", "kind", "scopes", "created", "expires", "last used", "revoked");
                foreach (var t in tokens)
                    table.AddRow(t.Id, Markup.Escape(t.Name), Markup.Escape(t.Subject), t.Kind.ToString().ToLowerInvariant(), string.Join(",", t.Scopes.Select(s => s.ToString().ToLowerInvariant())),
                        Format.Time(t.Created), Format.Time(t.Expires), t.LastUsed is { } used ? Format.Time(used) : "never", t.Revoked is { } at ? $"{Markup.Escape(t.RevokedBy ?? "")} {Format.Time(at)}" : "");
                o.Write(table);
            });
            return 0;
        });
        var revoke = new Command("revoke", "Revoke a token: it stops authenticating within seconds, on every server") { Id }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var token = await tend.RevokeTokenAsync(parsed.GetValue(Id)!, ct);
            cli.Emit(token, o => o.MarkupLineInterpolated($"token {token.Id} ({token.Name}) of {token.Subject} revoked"));
            return 0;
        });
        return new Command("tokens", "API tokens for people and automation: create, list, revoke") { create, list, revoke };
    }

    public static Command Access(CliConsole console)
    {
        var grant = new Command("grant", "Grant a role in a project (or every project: --project '*')") { Who, RoleName, Project }.Team(console, (parsed, cli, tend, ct) => SetAsync(parsed, cli, tend, true, ct));
        var revoke = new Command("revoke", "Take a role back") { Who, RoleName, Project }.Team(console, (parsed, cli, tend, ct) => SetAsync(parsed, cli, tend, false, ct));
        var list = new Command("list", "The roles granted, by subject, project and role") { OfSubject }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var grants = await tend.GrantsAsync(parsed.GetValue(OfSubject), ct);
            cli.Emit(new { grants }, o =>
            {
                var table = new Table().AddColumns("subject", "project", "role", "granted", "by");
                foreach (var g in grants)
                    table.AddRow(Markup.Escape(g.Subject), Markup.Escape(g.Project), g.Role.ToString().ToLowerInvariant(), Format.Time(g.Granted), Markup.Escape(g.Actor));
                o.Write(table);
            });
            return 0;
        });
        return new Command("access", "Who may do what: roles (viewer, contributor, approver, deployer, admin) per project") { grant, revoke, list };
    }

    private static async Task<int> SetAsync(ParseResult parsed, CliContext cli, ITend tend, bool granted, CancellationToken ct)
    {
        var (subject, role, project) = (parsed.GetValue(Who)!, Choice.Parse<Role>("role", parsed.GetValue(RoleName)!), parsed.GetValue(Project) ?? (await tend.ProjectAsync(ct)).Name);
        var change = await tend.SetGrantAsync(subject, project, role, granted, ct);
        var what = $"{role.ToString().ToLowerInvariant()} on {(project == Grant.AllProjects ? "every project" : project)}";
        var said = change.Changed ? $"{subject}: {(granted ? "granted" : "revoked")} {what}" : $"{subject}: {(granted ? "already holds" : "does not hold")} {what}; nothing changed";
        cli.Emit(change, o => o.WriteLine(said));
        return 0;
    }
}
