using System.Reflection;
using System.Text.Json;
using Tend.Core.Errors;

namespace Tend.Training.Trainers;

/// <summary>Sets a trainer's numeric hyperparameters from tend.yaml by their snake_case names (number_of_iterations → NumberOfIterations).</summary>
internal static class TrainerOptions
{
    public static T Apply<T>(T options, string trainer, IReadOnlyDictionary<string, double> values) where T : class
    {
        var settable = Settable(options);
        foreach (var (name, value) in values)
        {
            if (!settable.TryGetValue(name, out var member))
                throw TendException.BadUsage($"unknown option '{name}' for trainer '{trainer}' (tend.yaml train.params.{trainer}); choose from: {string.Join(", ", settable.Keys.Order())}");
            var type = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
            var converted = Convert.ChangeType(value, Nullable.GetUnderlyingType(type) ?? type, System.Globalization.CultureInfo.InvariantCulture);
            if (member is PropertyInfo property) property.SetValue(options, converted);
            else ((FieldInfo)member).SetValue(options, converted);
        }
        return options;
    }

    /// <summary>The current values of the named options (their defaults, on a fresh options object); null where the trainer chooses (e.g. SDCA's regularization).</summary>
    public static IReadOnlyDictionary<string, double?> Read(object options, IEnumerable<string> names)
    {
        var settable = Settable(options);
        return names.ToDictionary(n => n, n => (settable[n] is PropertyInfo p ? p.GetValue(options) : ((FieldInfo)settable[n]).GetValue(options)) is { } value
            ? Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)
            : (double?)null);
    }

    private static Dictionary<string, MemberInfo> Settable(object options)
    {
        var type = options.GetType();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && IsNumber(p.PropertyType))
            .Concat<MemberInfo>(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => IsNumber(f.FieldType)))
            .ToDictionary(m => JsonNamingPolicy.SnakeCaseLower.ConvertName(m.Name), StringComparer.Ordinal);
    }

    private static bool IsNumber(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(int) || t == typeof(double) || t == typeof(float));
}
