using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MLNetWhitening.Persistence;

/// <summary>
/// The JSON of an <see cref="MlpRecord"/> in a graph's metadata, and the checks applied when it is read from a file:
/// every size is validated before anything is allocated from it.
/// </summary>
internal static class MlpMetadata
{
    /// <summary>Metadata key of the JSON record.</summary>
    public const string RecordKey = "mlnetwhitening.mlp";

    /// <summary>Largest weight count of one layer accepted from a file (2 GiB of doubles; an ONNX file holds at most 2 GiB).</summary>
    private const long MaximumElements = int.MaxValue / sizeof(double);

    public static string Write(MlpRecord record) => JsonSerializer.Serialize(record, MetadataJson.Options);

    /// <exception cref="InvalidDataException">Not JSON of a record, or a record out of range.</exception>
    public static MlpRecord Read(string? json, bool multiclass, string where)
    {
        if (string.IsNullOrEmpty(json))
            throw new InvalidDataException($"{where}: the metadata entry '{RecordKey}' is missing or empty.");
        MlpRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<MlpRecord>(json, MetadataJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: the metadata entry '{RecordKey}' is not a JSON record of a WhitenedMlp ({e.Message}).", e);
        }
        if (record is null)
            throw new InvalidDataException($"{where}: the metadata entry '{RecordKey}' is null.");
        Check(record, multiclass, where);
        return record;
    }

    private static void Check(MlpRecord r, bool multiclass, string where)
    {
        if (string.IsNullOrWhiteSpace(r.FeatureColumn) || string.IsNullOrWhiteSpace(r.GraphInput) || string.IsNullOrWhiteSpace(r.GraphScores)
            || multiclass == string.IsNullOrWhiteSpace(r.GraphIndex))
            throw new InvalidDataException($"{where}: a column or graph value name is empty or missing.");
        if (!Enum.IsDefined(r.Activation) || r.Head != (multiclass ? MlpHead.Softmax : MlpHead.Identity))
            throw new InvalidDataException($"{where}: expected a known activation and a {(multiclass ? MlpHead.Softmax : MlpHead.Identity)} head, got {r.Activation} and {r.Head}.");
        int[] w = r.Widths ?? Array.Empty<int>();
        if (w.Length < 2 || w.Any(x => x < 1) || w.Zip(w.Skip(1)).Any(p => (long)p.First * p.Second > MaximumElements))
            throw new InvalidDataException($"{where}: expected layer widths ≥ 1 with at most {MaximumElements} weights a layer, got [{string.Join(", ", w)}].");
        if (multiclass ? w[^1] < 2 : w[^1] != 1)
            throw new InvalidDataException($"{where}: the last layer has {w[^1]} outputs; a {(multiclass ? "multiclass model needs 2 or more" : "regression model needs 1")}.");
        if (!multiclass && (r.KeyValues is not null || r.KeyValueKind is not null))
            throw new InvalidDataException($"{where}: a regression model has no label keys.");
        if (r.Summary is null)
            throw new InvalidDataException($"{where}: the training summary is missing.");
    }
}
