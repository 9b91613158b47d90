using System.Diagnostics;
using System.Text.Json;

namespace Tend.Testing;

/// <summary>The real <c>tend</c> executable of this build, started as a separate process.</summary>
internal sealed class TendProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TendProcess(Process process) => _process = process;

    /// <summary>The repository this test assembly was built from: the folder holding Tend.slnx above its output.</summary>
    public static string Repository
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(root.FullName, "Tend.slnx")))
                root = root.Parent ?? throw new InvalidOperationException("Tend.slnx not found above " + AppContext.BaseDirectory);
            return root.FullName;
        }
    }

    /// <summary>src/Tend.Cli's build output for the same configuration as this test assembly.</summary>
    public static string Dll
    {
        get
        {
            var output = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar)[^3..]; // tests/<project>/bin/<config>/<tfm>/: bin, config, tfm
            return Path.Combine([Repository, "src", "Tend.Cli", .. output, CliRuntime, "tend.dll"]);
        }
    }

    /// <summary>The runtime src/Tend.Cli builds for (its RuntimeIdentifier); the libraries and tests build portable.</summary>
    private const string CliRuntime = "linux-x64";

    public int Id => _process.Id;

    /// <summary>
    /// The first admin's token of every store a test's <c>tend serve</c> opens (given as TEND_ADMIN_TOKEN): a test's
    /// own, made with Python's <c>zlib.crc32</c> for its checksum (so it also pins Tend's), never a secret.
    /// </summary>
    public const string AdminToken = "tend_pat_TestsOnlyAdminTokenNotASecret0002zclIf";

    /// <summary>An HTTP client of a server at <paramref name="url"/> that sends <paramref name="token"/> (the admin's by default).</summary>
    public static HttpClient Client(string url, string token = AdminToken, HttpMessageHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = new Uri(url);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Ends the process at once with SIGKILL, as a crash or an OOM kill would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the process to stop with SIGTERM, as a service manager does, and waits for it to end.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return _process.ExitCode;
    }

    /// <summary>How <c>tend ARGS</c> is started: this build's tend.dll under dotnet, stdout and stderr captured.</summary>
    public static ProcessStartInfo Command(params IEnumerable<string> args) => Command(new Dictionary<string, string>(), args);

    /// <summary>How <c>tend ARGS</c> is started with <paramref name="environment"/> added to this process's.</summary>
    public static ProcessStartInfo Command(IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["TEND_ADMIN_TOKEN"] = AdminToken;
        foreach (var (variable, value) in environment)
            start.Environment[variable] = value;
        foreach (var arg in args.Prepend(Dll))
            start.ArgumentList.Add(arg);
        return start;
    }

    /// <summary>Runs <c>tend ARGS</c> to its end, insists it succeeded, and returns what it wrote to stdout.</summary>
    public static Task<string> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs <c>tend ARGS</c> with <paramref name="environment"/> added, to its end; insists it succeeded and returns its stdout.</summary>
    public static async Task<string> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Command(environment, args))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"tend {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        return stdout;
    }

    /// <summary>Runs <c>tend ARGS --json</c> and returns once its first stdout line (the JSON document) is written.</summary>
    public static Task<(TendProcess Process, JsonElement Output)> StartAsync(params string[] args) => StartAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs <c>tend ARGS --json</c> with <paramref name="environment"/> added, and returns once its first stdout line is written.</summary>
    public static async Task<(TendProcess Process, JsonElement Output)> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var process = Process.Start(Command(environment, args.Append("--json")))!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (line is null)
            throw new InvalidOperationException($"tend exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        return (new TendProcess(process), JsonDocument.Parse(line).RootElement);
    }

    /// <summary>Stops the process (SIGTERM) and returns everything it wrote to stderr: its log.</summary>
    public async Task<string> StopAndReadLogAsync()
    {
        var log = _process.StandardError.ReadToEndAsync();
        await TerminateAsync();
        return await log;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
