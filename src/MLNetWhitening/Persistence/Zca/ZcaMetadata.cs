using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace MLNetWhitening.Persistence;

/// <summary>
/// The JSON of <see cref="ZcaColumnRecord"/>s in a graph's metadata, and the checks applied when it is read from a file:
/// every size is validated before anything is allocated from it.
/// </summary>
internal static class ZcaMetadata
{
    /// <summary>Metadata key of the JSON array of column records.</summary>
    public const string ColumnsKey = "mlnetwhitening.columns";

    /// <summary>Largest d·k accepted from a file (2 GiB of doubles; an ONNX file holds at most 2 GiB).</summary>
    private const long MaximumElements = int.MaxValue / sizeof(double);

    private static JsonSerializerOptions Json => MetadataJson.Options;

    public static string Write(IReadOnlyList<ZcaColumnRecord> records) => JsonSerializer.Serialize(records, Json);

    /// <exception cref="InvalidDataException">Not JSON of column records, or a record out of range.</exception>
    public static ZcaColumnRecord[] Read(string? json, string where)
    {
        if (string.IsNullOrEmpty(json))
            throw new InvalidDataException($"{where}: the metadata entry '{ColumnsKey}' is missing or empty.");
        ZcaColumnRecord[]? records;
        try
        {
            records = JsonSerializer.Deserialize<ZcaColumnRecord[]>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: the metadata entry '{ColumnsKey}' is not a JSON array of column records ({e.Message}).", e);
        }
        if (records is null || records.Length == 0)
            throw new InvalidDataException($"{where}: the metadata entry '{ColumnsKey}' lists no columns.");
        foreach (ZcaColumnRecord record in records)
            Check(record, where);
        return records;
    }

    private static void Check(ZcaColumnRecord r, string where)
    {
        string column = $"{where}, column '{r.InputColumn}' → '{r.OutputColumn}'";
        if (string.IsNullOrWhiteSpace(r.InputColumn) || string.IsNullOrWhiteSpace(r.OutputColumn)
            || string.IsNullOrWhiteSpace(r.GraphInput) || string.IsNullOrWhiteSpace(r.GraphOutput))
            throw new InvalidDataException($"{column}: a column or graph value name is empty.");
        if (!Enum.IsDefined(r.Kind) || !double.IsFinite(r.Epsilon) || r.Epsilon < 0)
            throw new InvalidDataException($"{column}: expected a whitening kind and a finite ε ≥ 0, got {r.Kind} and {r.Epsilon}.");
        if (r.InputDimension < 1 || r.OutputDimension < 1 || r.OutputDimension > r.InputDimension
            || (long)r.InputDimension * r.OutputDimension > MaximumElements)
            throw new InvalidDataException(
                $"{column}: expected dimensions 1 ≤ k ≤ d with d·k ≤ {MaximumElements}, got d = {r.InputDimension}, k = {r.OutputDimension}.");
        if (r.FitReport is null || !Enum.IsDefined(r.FitReport.RequestedMethod) || !Enum.IsDefined(r.FitReport.MethodUsed))
            throw new InvalidDataException($"{column}: the fit report is missing or names an unknown method.");
        if (r.FitReport.RefinementIterations < 0)
            throw new InvalidDataException($"{column}: the fit report gives {r.FitReport.RefinementIterations} refinement iterations; expected none or a count ≥ 0.");
        SavedDevice.Read(r.FitReport.Device, $"{column}: the fit report");
    }

    /// <summary>Base64 of float64 little-endian values.</summary>
    public static string Encode(ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Exactly <paramref name="count"/> float64 values from base64; the text's length is checked before decoding.</summary>
    /// <exception cref="InvalidDataException">Missing, of the wrong length, or not base64.</exception>
    public static double[] Decode(string? text, long count, string what)
    {
        long bytes = count * sizeof(double);
        long expected = (bytes + 2) / 3 * 4;
        if (text is null || text.Length != expected)
            throw new InvalidDataException($"{what}: expected {count} float64 values ({expected} base64 characters), got {text?.Length.ToString() ?? "none"}.");
        var raw = new byte[bytes];
        if (!Convert.TryFromBase64String(text, raw, out int written) || written != bytes)
            throw new InvalidDataException($"{what}: not valid base64 of {count} float64 values.");
        var values = new double[count];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(i * sizeof(double)));
        return values;
    }
}
