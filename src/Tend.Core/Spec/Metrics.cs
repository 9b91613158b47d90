namespace Tend.Core.Spec;

/// <summary>The metric names Tend computes for each task, and which way is better.</summary>
public static class Metrics
{
    public static readonly IReadOnlyList<string> Binary = ["auc", "pr_auc", "accuracy", "precision", "recall", "f1", "log_loss", "brier"];
    public static readonly IReadOnlyList<string> Multiclass = ["micro_accuracy", "macro_accuracy", "macro_f1", "log_loss"];
    public static readonly IReadOnlyList<string> Regression = ["rmse", "mae", "r2", "mape"];

    public static IReadOnlyList<string> For(MlTask task) => task switch
    {
        MlTask.Binary => Binary,
        MlTask.Multiclass => Multiclass,
        _ => Regression,
    };

    public static bool HigherIsBetter(string metric) => metric is not ("log_loss" or "brier" or "rmse" or "mae" or "mape");

    /// <summary>The metric a task is judged by when tend.yaml does not say.</summary>
    public static string DefaultFor(MlTask task) => task switch
    {
        MlTask.Binary => "auc",
        MlTask.Multiclass => "macro_accuracy",
        _ => "r2",
    };
}
