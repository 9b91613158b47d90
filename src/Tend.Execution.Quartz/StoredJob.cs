using Quartz;
using Tend.Core.Execution;

namespace Tend.Execution.Quartz;

/// <summary>The Quartz job that runs one of Tend's stored jobs, by its id, with the work the process was given.</summary>
internal sealed class StoredJob : IJob
{
    public const string Group = "tend";
    public const string JobKey = "job";
    public const string WorkKey = "tend.work";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var work = (JobWork)context.Scheduler.Context[WorkKey]!;
        await work(context.MergedJobDataMap.GetString(JobKey)!, ct);
    }
}
