using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Training.Tests;

public class PreparationTests
{
    private static readonly Table Credit = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv"));

    private static ProjectSpec Spec(string label, PrepareSpec prepare, MlTask task = MlTask.Binary, string? positive = null) =>
        new("t", "", task, label, positive, new SuccessMetric(Metrics.DefaultFor(task), 0), [], new SplitSpec(), TrainSpec.Default, new MonitorSpec(), Prepare: prepare);

    private static FeatureLayout Layout(Table data, ProjectSpec spec) =>
        FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(spec.Label)));

    [Fact]
    public void Fit_AgreesWithScikitLearn()
    {
        var prepare = new PrepareSpec(
            Impute: new Dictionary<string, ImputeSpec> { ["Income"] = new("median"), ["Assets"] = new("mean"), ["Seniority"] = new("most_frequent"), ["Home"] = new("most_frequent") },
            Clip: new Dictionary<string, ClipSpec> { ["Income"] = new(0.05, 0.95) },
            Normalize: new Dictionary<string, string> { ["Income"] = "z_score", ["Assets"] = "min_max" });
        var spec = Spec("Status", prepare, positive: "bad");
        var prepared = Preparation.Fit(Credit, Layout(Credit, spec), prepare);
        NumericSlot Slot(string column) => prepared.Slots.Single(s => s.Column == column);

        // scikit-learn 1.2.1 / numpy on the whole of tests/data/credit_data.csv:
        //   np.clip(Income, np.nanquantile(.05), np.nanquantile(.95)) -> SimpleImputer('median') -> StandardScaler: mean_, scale_
        //   Assets: SimpleImputer('mean') -> MinMaxScaler: data_min_, data_range_;  SimpleImputer('most_frequent') on Seniority and Home
        var income = Slot("Income");
        Assert.Equal((56.0, 292.0, 125.0), (income.Lower, income.Upper, income.Fill));
        Assert.Equal(136.56106870229007, income.Offset, 1e-9);
        Assert.Equal(1 / 59.78185701928112, income.Scale, 1e-12);
        var assets = Slot("Assets");
        Assert.Equal(5403.979351032448, assets.Fill, 1e-9);
        Assert.Equal((0.0, 1 / 300000.0), (assets.Offset, assets.Scale));
        Assert.Equal(0, Slot("Seniority").Fill);
        Assert.Equal("owner", prepared.Categories.Single(c => c.Column == "Home").Fill);
        // Without a rule a number is filled with its training mean, and a category stays missing (no indicator).
        Assert.Null(prepared.Categories.Single(c => c.Column == "Job").Fill);
        Assert.Equal(Credit.Column(Credit.IndexOf("Debt")).Where(c => c is not null).Average(c => double.Parse(c!)), Slot("Debt").Fill, 1e-9);
    }

    [Fact]
    public void Encoding_OneHotUpToTheCap_HashingAbove_OrAsNamed()
    {
        var prepare = new PrepareSpec(Encode: new EncodeSpec(MaxCategories: 4, HashBits: 6, Columns: new Dictionary<string, string> { ["Home"] = "one_hot" }));
        var prepared = Preparation.Fit(Credit, Layout(Credit, Spec("Status", prepare, positive: "bad")), prepare);
        var home = prepared.Categories.Single(c => c.Column == "Home");
        Assert.Equal(["owner", "rent", "parents", "other"], home.Levels);
        Assert.Equal("", home.Category("priv")); // capped out: no indicator
        Assert.Equal(CategoricalFeature.OneHot, prepared.Categories.Single(c => c.Column == "Job").Encoding); // 4 values
        Assert.Equal(CategoricalFeature.Hashing, prepared.Categories.Single(c => c.Column == "Marital").Encoding); // 5 values
        Assert.Equal(6, prepared.HashBits);
    }

    /// <summary>A label carried only by the month of a date and by a word in free text: without those steps the model cannot see it.</summary>
    private static Table Seasonal()
    {
        var random = new Random(3);
        var words = Enumerable.Range(0, 300).Select(i => $"w{i}").ToArray();
        return new Table(["y", "opened", "note", "x"], Enumerable.Range(0, 800).Select(_ =>
        {
            var date = new DateTime(2023, 1, 1).AddDays(random.Next(365));
            var refund = random.NextDouble() < 0.2;
            var note = string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[random.Next(words.Length)]).Concat(refund ? ["refund"] : []));
            var yes = date.Month is >= 6 and <= 8 || refund;
            return new string?[] { yes ? "yes" : "no", Cells.Format(date), note, Cells.Format(random.NextDouble()) };
        }).ToList());
    }

    [Fact]
    public void DatePartsAndText_FeedTheModel_AndSurviveSaveAndLoad()
    {
        var data = Seasonal();
        double Auc(PrepareSpec prepare, out TrainedModel model, out Table test)
        {
            var spec = Spec("y", prepare, positive: "yes");
            (var train, test) = HoldoutSplit.Split(data, spec);
            model = ModelTrainer.Fit(train, Layout(data, spec), spec, CancellationToken.None);
            return HoldoutEvaluator.Evaluate(model, test)["auc"];
        }
        var plain = Auc(new PrepareSpec(), out var ignoring, out _);
        var prepared = Auc(new PrepareSpec(Text: ["note"], Dates: new Dictionary<string, IReadOnlyList<string>> { ["opened"] = ["month", "day_of_week"] }), out var model, out var test);
        Assert.Equal(["opened", "note"], ignoring.Layout.Ignored);
        Assert.InRange(plain, 0.3, 0.7);
        Assert.InRange(prepared, 0.95, 1.0);
        Assert.Equal(["x", "opened.month", "opened.day_of_week"], model.Layout.Prepared!.Slots.Select(s => s.Name));

        var buffer = new MemoryStream();
        model.Save(buffer);
        buffer.Position = 0;
        var loaded = ModelPackage.Load(buffer);
        Assert.Equal(model.Layout.Prepared!.Slots, loaded.Layout.Prepared!.Slots);
        Assert.Equal(model.Predict(test).Probability, loaded.Predict(test).Probability);
    }

    [Fact]
    public void Ames_WideRegression_WithHashedAndCappedCategories_LearnsPrices()
    {
        var ames = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "ames.csv"));
        var prepare = new PrepareSpec(Encode: new EncodeSpec(MaxCategories: 10, HashBits: 5, Columns: new Dictionary<string, string> { ["MS_Zoning"] = "one_hot" }),
            Normalize: new Dictionary<string, string> { ["Gr_Liv_Area"] = "z_score" }, Clip: new Dictionary<string, ClipSpec> { ["Lot_Area"] = new(0.01, 0.99) });
        var spec = Spec("Sale_Price", prepare, MlTask.Regression);
        var (train, test) = HoldoutSplit.Split(ames, spec);
        var model = ModelTrainer.Fit(train, Layout(ames, spec), spec, CancellationToken.None);
        var prepared = model.Layout.Prepared!;
        Assert.Equal(CategoricalFeature.Hashing, prepared.Categories.Single(c => c.Column == "Neighborhood").Encoding); // 28 values > 10
        Assert.Equal(CategoricalFeature.OneHot, prepared.Categories.Single(c => c.Column == "Street").Encoding); // 2 values
        Assert.Null(prepared.Categories.Single(c => c.Column == "MS_Zoning").Levels); // 7 values: under the cap, all kept
        // scikit-learn's HistGradientBoostingRegressor reaches R² ≈ 0.9 on ames; a working pipeline on 70 features is well above 0.8.
        Assert.InRange(HoldoutEvaluator.Evaluate(model, test)["r2"], 0.8, 1.0);
    }

    [Fact]
    public void DayOfWeek_CountsFromMonday_AsPandas()
    {
        // pd.Timestamp("2024-05-27").dayofweek == 0 (a Monday); 2024-06-02 is a Sunday: 6
        Assert.Equal(0, NumericSlot.DatePart(new DateTime(2024, 5, 27), "day_of_week"));
        Assert.Equal(6, NumericSlot.DatePart(new DateTime(2024, 6, 2), "day_of_week"));
    }

    [Theory]
    [InlineData("clip", "'prepare.clip.Home' needs a numeric column; 'Home' is categorical")]
    [InlineData("impute", "'prepare.impute.Shop': column 'Shop' is not in the data")]
    [InlineData("label", "'prepare.normalize.Status': 'Status' is the label")]
    [InlineData("constant", "'prepare.impute.Income': constant 'lots' is not a value of the column")]
    public void PrepareMistakes_NameTheKeyAndWhatWasExpected(string mistake, string expected)
    {
        var prepare = mistake switch
        {
            "clip" => new PrepareSpec(Clip: new Dictionary<string, ClipSpec> { ["Home"] = new(0.01, 0.99) }),
            "impute" => new PrepareSpec(Impute: new Dictionary<string, ImputeSpec> { ["Shop"] = new("most_frequent") }),
            "label" => new PrepareSpec(Normalize: new Dictionary<string, string> { ["Status"] = "min_max" }),
            _ => new PrepareSpec(Impute: new Dictionary<string, ImputeSpec> { ["Income"] = new("constant", "lots") }),
        };
        var spec = Spec("Status", prepare, positive: "bad");
        var e = Assert.Throws<TendException>(() => ModelTrainer.Fit(Credit, Layout(Credit, spec), spec, CancellationToken.None));
        Assert.Equal(ErrorCode.InvalidData, e.Code);
        Assert.StartsWith(expected, e.Message);
    }
}
