using System.Diagnostics;
using System.Text.Json;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// The lifecycle with <c>TEND_ARTIFACTS=s3://…</c> on a real S3-compatible server (s3rver): the dataset version, the
/// trained model and the evaluation's report go to the bucket, and every later step reads them back from it.
/// </summary>
public sealed class S3ArtifactsTests
{
    private static readonly string Credit = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    [Fact]
    public async Task TheLifecycle_KeepsItsArtifactsInTheBucket()
    {
        await using var s3 = await S3Server.StartAsync();
        var prefix = $"team-{Guid.NewGuid():N}";
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-s3-").FullName, "credit");
        async Task<string> TendAsync(params string[] args)
        {
            var start = TendProcess.Command(args);
            start.Environment["TEND_ARTIFACTS"] = s3.Uri(prefix);
            using var process = Process.Start(start)!;
            var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"tend {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
            return await stdout;
        }

        await TendAsync("init", dir, "--task", "binary", "--label", "Status", "--data", Credit, "--name", "credit");
        await TendAsync("data", "add", Credit, "--workspace", dir);
        var run = JsonDocument.Parse(await TendAsync("train", "--workspace", dir, "--json")).RootElement.GetProperty("run_id").GetString()!;
        await TendAsync("models", "register", run, "--workspace", dir);
        await TendAsync("evaluate", "credit@1", "--workspace", dir);
        await TendAsync("models", "promote", "credit", "1", "--reason", "first", "--workspace", dir);
        var scored = Path.Combine(dir, "scored.csv");
        await TendAsync("predict", Credit, "-o", scored, "--workspace", dir); // the model read back from the bucket, its SHA-256 checked
        Assert.Equal(File.ReadAllLines(Credit).Length, File.ReadAllLines(scored).Length);
        var doctor = JsonDocument.Parse(await TendAsync("doctor", "--workspace", dir, "--json")).RootElement;
        Assert.True(doctor.GetProperty("healthy").GetBoolean(), doctor.ToString());

        Assert.False(Directory.Exists(Path.Combine(dir, ".tend", "artifacts"))); // nothing on the local disk
        var listing = new ProcessStartInfo("aws", ["--endpoint-url", s3.Endpoint, "s3", "ls", "--recursive", $"s3://{S3Server.Bucket}/{prefix}/"]) { RedirectStandardOutput = true };
        listing.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        using var aws = Process.Start(listing)!;
        var keys = await aws.StandardOutput.ReadToEndAsync();
        await aws.WaitForExitAsync();
        Assert.Contains($"{prefix}/datasets/", keys);
        Assert.Contains($"{prefix}/.sha256/datasets/", keys);
        Assert.Contains("model", keys);
    }
}
