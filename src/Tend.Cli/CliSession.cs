using Microsoft.Extensions.DependencyInjection;
using Tend.Pipelines;
using Tend.Pipelines.Composition;

namespace Tend.Cli;

/// <summary>What a command acts on: the workspace, and the services the composition root registers for it.</summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliSession(Workspace workspace)
    {
        Workspace = workspace;
        _services = new ServiceCollection().AddTend(workspace).BuildServiceProvider();
    }

    public Workspace Workspace { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<CliSession> OpenAsync(string root, string? actor, CancellationToken ct) => new(await Workspace.OpenAsync(root, ct, actor));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Workspace.DisposeAsync();
    }
}
