namespace Tend.Training.Features;

/// <summary>
/// One row as ML.NET sees it, in <see cref="Preparation"/> order: the prepared numeric slots, the one-hot and the hashed
/// categories ("" = none), and the text columns.
/// </summary>
public sealed class ModelInput
{
    public float[] Numeric { get; set; } = [];
    public string[] Categorical { get; set; } = [];
    public string[] Hashed { get; set; } = [];
    public string[] Text { get; set; } = [];
    public bool LabelBool { get; set; }
    public string LabelText { get; set; } = "";
    public float LabelNumber { get; set; }
}
