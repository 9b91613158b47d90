namespace Tend.Core.Execution;

/// <summary>
/// What a schedule's slot is: the schedule's name (<c>monitor</c>; <c>pipeline NAME: TRIGGER</c>; for an event that fires a
/// trigger, <c>pipeline NAME: TRIGGER for alert ID</c> or <c>for run ID</c>) and the time it was due at, or the event happened at (UTC).
/// </summary>
public sealed record ScheduleSlot(string Schedule, DateTimeOffset Due);
