using Tend.Core.Errors;
using Tend.Data.Tabular;

namespace Tend.Training.Features;

/// <summary>Where a slot of the model's numeric vector comes from: a number, a boolean (1/0) or a part of a date.</summary>
public enum SlotSource { Number, Boolean, DatePart }

/// <summary>
/// One slot of the numeric vector the model sees, with the steps fitted on the training rows, applied in this order:
/// clip to [<see cref="Lower"/>, <see cref="Upper"/>], fill a missing value with <see cref="Fill"/>, then
/// (x − <see cref="Offset"/>) × <see cref="Scale"/>. Saved with the model, so serving applies the same numbers.
/// </summary>
public sealed record NumericSlot(string Column, SlotSource Source, string? Part = null, double Fill = 0, double? Lower = null, double? Upper = null, double Offset = 0, double Scale = 1)
{
    public string Name => Part is null ? Column : $"{Column}.{Part}";

    /// <summary>The raw value of a cell (NaN when missing); a cell of the wrong kind is an error naming the row and column.</summary>
    public double Read(string? cell, int row) =>
        cell is null ? double.NaN
        : TryRead(cell, out var value) ? value
        : throw TendException.InvalidData($"row {row + 1}, column '{Column}': expected {Expected}, found '{cell}'");

    public bool TryRead(string cell, out double value)
    {
        value = double.NaN;
        switch (Source)
        {
            case SlotSource.Number:
                return Cells.TryNumber(cell, out value);
            case SlotSource.Boolean:
                var isBoolean = Cells.TryBoolean(cell, out var flag);
                value = flag ? 1 : 0;
                return isBoolean;
            default:
                var isDate = Cells.TryDateTime(cell, out var date);
                value = isDate ? DatePart(date, Part!) : double.NaN;
                return isDate;
        }
    }

    public string Expected => Source switch
    {
        SlotSource.Number => "a number",
        SlotSource.Boolean => "true or false",
        _ => "an ISO 8601 date",
    };

    public double Clip(double raw) =>
        double.IsNaN(raw) ? raw : Math.Clamp(raw, Lower ?? double.NegativeInfinity, Upper ?? double.PositiveInfinity);

    /// <summary>Clipped and filled, before normalization.</summary>
    public double Filled(double raw) => Clip(raw) is var value && double.IsNaN(value) ? Fill : value;

    public float Apply(double raw) => (float)((Filled(raw) - Offset) * Scale);

    /// <summary>Day of week as pandas' <c>dayofweek</c>: Monday 0 … Sunday 6.</summary>
    public static double DatePart(DateTime date, string part) => part switch
    {
        "year" => date.Year,
        "month" => date.Month,
        "day" => date.Day,
        "day_of_week" => ((int)date.DayOfWeek + 6) % 7,
        "hour" => date.Hour,
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "unknown date part"),
    };
}
