using System.Collections.Generic;
using System.IO;
using System.Linq;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// The ONNX model of a fitted whitening or coloring transformer, and the fitted columns read back from one. The one
/// converter between <see cref="ZcaColumnModel"/> and the persisted form: initializers hold μ and the applied matrix in
/// float64 (<see cref="AffineGraph"/>); the metadata (<see cref="ZcaMetadata"/>) holds names, kind, ε, the fit report and
/// the other matrix.
/// </summary>
internal static class ZcaGraph
{
    /// <summary>The component name of a saved <see cref="ZcaWhiteningTransformer"/>.</summary>
    public const string WhiteningComponent = "ZcaWhiteningTransformer";

    /// <summary>The component name of a saved <see cref="ZcaColoringTransformer"/>.</summary>
    public const string ColoringComponent = "ZcaColoringTransformer";

    /// <summary>
    /// The component name files saved before the type was spelt Coloring carry; read as <see cref="ColoringComponent"/>.
    /// (The graph inside keeps its name "zca_colouring": the loader compares whole graphs, so old files must match it.)
    /// </summary>
    public const string ColouringComponentBefore = "ZcaColouringTransformer";

    /// <summary>Version of the persisted form written (and the highest read).</summary>
    public const int FormatVersion = 1;

    /// <summary>
    /// The model of <paramref name="columns"/>' whitening (or coloring) maps; column i reads graph input
    /// <paramref name="graphNames"/>[i].Input and writes graph output [i].Output. A <paramref name="restorable"/> model
    /// carries the identification and the complementary matrix a loader needs.
    /// </summary>
    public static ModelProto Create(IReadOnlyList<ZcaColumnModel> columns, bool coloring,
        IReadOnlyList<(string Input, string Output)> graphNames, GraphLayout layout, bool restorable)
    {
        var graphColumns = columns
            .Select((c, i) => new GraphColumn(graphNames[i].Input, graphNames[i].Output, coloring ? AffineState.Coloring(c) : AffineState.Whitening(c)))
            .ToArray();
        GraphProto graph = AffineGraph.Build(coloring ? "zca_colouring" : "zca_whitening", graphColumns, layout);
        var records = columns.Select((c, i) => Record(c, graphNames[i], coloring, restorable)).ToArray();
        var metadata = new List<KeyValuePair<string, string>>();
        if (restorable)
        {
            metadata.Add(new(PersistedComponents.ComponentKey, coloring ? ColoringComponent : WhiteningComponent));
            metadata.Add(new(PersistedComponents.FormatVersionKey, FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        metadata.Add(new(ZcaMetadata.ColumnsKey, ZcaMetadata.Write(records)));
        return OnnxModelFile.Create(graph, layout.Opset, Description(columns, coloring), metadata);
    }

    /// <summary>
    /// The fitted columns of a model written by <see cref="Create"/> with <see cref="GraphLayout.Saved"/>. Everything is
    /// checked: sizes before allocation, initializers against the metadata, and the whole graph against the one this
    /// library writes for the state read, so an altered graph is refused rather than restored as something else.
    /// </summary>
    /// <exception cref="InvalidDataException">The metadata or initializers are missing, out of range or inconsistent.</exception>
    public static ZcaColumnModel[] Read(ModelProto model, bool coloring, string where)
    {
        if (model.Graph is null)
            throw new InvalidDataException($"{where}: the ONNX model has no graph.");
        ZcaColumnRecord[] records = ZcaMetadata.Read(OnnxModelFile.Metadata(model, ZcaMetadata.ColumnsKey), where);
        var graphNames = records.Select(r => (r.GraphInput, r.GraphOutput)).ToArray();
        var names = new GraphNames(records.Select(r => r.GraphInput), records.Select(r => r.GraphOutput));
        var columns = new ZcaColumnModel[records.Length];
        for (int i = 0; i < records.Length; i++)
            columns[i] = ReadColumn(model.Graph, names, i, records[i], coloring, where);
        ModelProto expected = Create(columns, coloring, graphNames, GraphLayout.Saved, restorable: true);
        if (!expected.Graph.Equals(model.Graph))
            throw new InvalidDataException(
                $"{where}: the ONNX graph differs from the one MLNetWhitening writes for the state in its initializers and metadata "
                + "(nodes, names, shapes or values were changed); it is not restored.");
        return columns;
    }

    private static ZcaColumnModel ReadColumn(GraphProto graph, GraphNames names, int i, ZcaColumnRecord r, bool coloring, string where)
    {
        int d = r.InputDimension, k = r.OutputDimension;
        string column = $"{where}, column '{r.InputColumn}' → '{r.OutputColumn}'";
        double[] mean, whitening, coloringMatrix;
        if (coloring)
        {
            coloringMatrix = RowMajor.Transpose(OnnxTensors.ReadDoubles(graph, names.Matrix(i), new long[] { k, d }, column), k, d);
            mean = OnnxTensors.ReadDoubles(graph, names.Offset(i), new long[] { d }, column);
            whitening = ZcaMetadata.Decode(r.Complement, (long)k * d, $"{column}: the whitening matrix in the metadata");
        }
        else
        {
            mean = OnnxTensors.ReadDoubles(graph, names.Shift(i), new long[] { d }, column);
            whitening = RowMajor.Transpose(OnnxTensors.ReadDoubles(graph, names.Matrix(i), new long[] { d, k }, column), d, k);
            coloringMatrix = ZcaMetadata.Decode(r.Complement, (long)d * k, $"{column}: the coloring matrix in the metadata");
        }
        return new ZcaColumnModel(r.InputColumn, r.OutputColumn, r.Kind, r.Epsilon, mean, whitening, coloringMatrix, k, r.FitReport.ToReport());
    }

    private static ZcaColumnRecord Record(ZcaColumnModel c, (string Input, string Output) graphNames, bool coloring, bool withComplement) => new()
    {
        InputColumn = c.InputColumnName,
        OutputColumn = c.OutputColumnName,
        GraphInput = graphNames.Input,
        GraphOutput = graphNames.Output,
        Kind = c.Kind,
        Epsilon = c.Epsilon,
        InputDimension = c.InputDimension,
        OutputDimension = c.OutputDimension,
        FitReport = FitReportRecord.From(c.FitReport),
        Complement = withComplement ? ZcaMetadata.Encode((coloring ? c.WhiteningMatrix : c.ColoringMatrix).Span) : null,
    };

    private static string Description(IReadOnlyList<ZcaColumnModel> columns, bool coloring)
    {
        string maps = string.Join("; ", columns.Select(c => coloring
            ? $"'{c.OutputColumnName}' (k = {c.OutputDimension}) → '{c.InputColumnName}' (d = {c.InputDimension}): x = W⁺ y + μ"
            : $"'{c.InputColumnName}' (d = {c.InputDimension}) → '{c.OutputColumnName}' (k = {c.OutputDimension}): y = W (x − μ), {c.Kind}, ε = {c.Epsilon:G6}"));
        return $"{(coloring ? "Coloring (inverse whitening)" : "Whitening")} fitted by MLNetWhitening: {maps}. "
            + "Centring in float64, then float32 (see the project's docs/persistence.md).";
    }
}
