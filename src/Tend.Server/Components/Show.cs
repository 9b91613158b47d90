using Tend.Core.Domain;

namespace Tend.Server.Components;

/// <summary>How the pages print numbers: up to 4 decimals, tiny values in scientific notation, a dash for none.</summary>
public static class Show
{
    public static string Number(double? value) => Figures.Number(value);

    public static string Percent(double? share) => Figures.Percent(share);
}
