using System.Diagnostics;
using System.Text.Json;
using Tend.Testing;

namespace Tend.EndToEnd.Tests.Access;

/// <summary>Someone at their own machine: a home folder of their own (so their own credentials file), and a token in TEND_TOKEN when given.</summary>
internal sealed class Person : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("tend-home-").FullName;

    public Person(string? token = null)
    {
        Environment["HOME"] = _home;
        Environment["XDG_CONFIG_HOME"] = null;
        Environment["TEND_SERVER"] = null;
        Environment["TEND_TOKEN"] = token;
    }

    public Dictionary<string, string?> Environment { get; } = [];

    public string Credentials => Path.Combine(_home, ".config", "tend", "credentials.json");

    /// <summary>Runs <c>tend ARGS</c> to its end as this person, with <paramref name="stdin"/> as its input.</summary>
    public async Task<Cli.Result> TendAsync(string? stdin, params string[] args)
    {
        var start = TendProcess.Command(args);
        start.RedirectStandardInput = true;
        foreach (var (name, value) in Environment)
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new Cli.Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs <c>tend ARGS --json</c> and insists it succeeded.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await TendAsync(null, [.. args, "--json"]);
        Assert.True(result.Exit == 0, $"tend {string.Join(' ', args)}: {result}");
        return result.Json;
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
