using System.Runtime.CompilerServices;
using Tend.Monitoring.Alerts;

namespace Tend.EndToEnd.Tests;

/// <summary>What the tests' process, and every tend it starts, runs with: the webhook listeners of the tests are on 127.0.0.1, which an operator allows so.</summary>
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void Set() => Environment.SetEnvironmentVariable(WebhookTargets.Variable, "127.0.0.1");
}
