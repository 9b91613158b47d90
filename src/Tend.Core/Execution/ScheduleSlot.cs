namespace Tend.Core.Execution;

/// <summary>What a schedule's slot is: the schedule's name (<c>monitor</c>, or <c>pipeline NAME: TRIGGER</c>) and the time it was due at (UTC).</summary>
public sealed record ScheduleSlot(string Schedule, DateTimeOffset Due);
