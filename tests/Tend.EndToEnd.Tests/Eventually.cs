namespace Tend.EndToEnd.Tests;

/// <summary>
/// Waits for work another thread does (the shadow's scoring, a scheduled monitor run) to show, instead of sleeping a
/// fixed time: checks the condition every 20 ms, and fails the test when it still does not hold after a minute.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    public static Task HoldsAsync(Func<bool> condition) => HoldsAsync(() => Task.FromResult(condition()));

    public static async Task HoldsAsync(Func<Task<bool>> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < Limit, $"the condition did not hold within {Limit}");
            await Task.Delay(20);
        }
    }
}
