namespace Tend.Server.Components;

/// <summary>Addresses of the datasets pages.</summary>
public static class DatasetLinks
{
    public static string Of(string reference) => $"/datasets/{Uri.EscapeDataString(reference)}";
}
