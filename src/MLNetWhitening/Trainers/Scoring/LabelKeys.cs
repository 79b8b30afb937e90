using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The training label's key type as a multiclass model reproduces it: the key count, and the key values (the
/// KeyValues annotation MapValueToKey writes) when the label has them, which become PredictedLabel's key values and
/// Score's slot names as with ML.NET's own trainers. Key values of text, number or Boolean type are carried;
/// others are dropped (Score then has no slot names).
/// </summary>
internal sealed class LabelKeys
{
    private static readonly (DataKind Kind, Type Raw)[] Supported =
    {
        (DataKind.String, typeof(ReadOnlyMemory<char>)), (DataKind.Single, typeof(float)), (DataKind.Double, typeof(double)),
        (DataKind.SByte, typeof(sbyte)), (DataKind.Byte, typeof(byte)), (DataKind.Int16, typeof(short)), (DataKind.UInt16, typeof(ushort)),
        (DataKind.Int32, typeof(int)), (DataKind.UInt32, typeof(uint)), (DataKind.Int64, typeof(long)), (DataKind.UInt64, typeof(ulong)),
        (DataKind.Boolean, typeof(bool)),
    };

    private LabelKeys(int count, KeyValueList? values)
    {
        Count = count;
        Values = values;
    }

    /// <summary>The number of classes: the label's key count.</summary>
    public int Count { get; }

    /// <summary>The key values, in key order, or null when the label has none (or of a type not carried).</summary>
    public KeyValueList? Values { get; }

    /// <summary>PredictedLabel's type: UInt32 keys, as many as the label's.</summary>
    public KeyDataViewType KeyType => new(typeof(uint), Count);

    /// <summary>The keys of a UInt32 key column (checked by the trainer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key count is above int.MaxValue.</exception>
    public static LabelKeys From(DataViewSchema.Column label, string paramName)
    {
        ulong count = ((KeyDataViewType)label.Type).Count;
        if (count > int.MaxValue)
            throw new ArgumentOutOfRangeException(paramName, $"Label column '{label.Name}' has {count} keys; a WhitenedMlp predicts at most {int.MaxValue} classes.");
        DataViewType? type = label.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type;
        (DataKind Kind, Type Raw) supported = Supported.FirstOrDefault(s => type is VectorDataViewType v && v.Size == (int)count && v.ItemType.RawType == s.Raw);
        return new LabelKeys((int)count, supported.Raw is null ? null : KeyValueList.Read(label, supported.Kind));
    }

    /// <summary>Key values read back from their text form (<see cref="KeyValueList.Texts"/>).</summary>
    /// <exception cref="InvalidDataException">A kind not carried, a value that does not parse, or a count that disagrees.</exception>
    public static LabelKeys FromText(int count, DataKind? kind, string[]? texts, string where)
    {
        if (count < 2)
            throw new InvalidDataException($"{where}: a multiclass model needs at least 2 classes, but the file says {count}.");
        if (kind is null != texts is null || texts is not null && texts.Length != count)
            throw new InvalidDataException($"{where}: expected {count} key values with their kind, or neither.");
        if (kind is DataKind k && !Supported.Any(s => s.Kind == k))
            throw new InvalidDataException($"{where}: key values of kind {k} are not supported.");
        return new LabelKeys(count, kind is DataKind valueKind ? KeyValueList.Parse(valueKind, texts!, where) : null);
    }

    /// <summary>Adds KeyValues (when known) for PredictedLabel.</summary>
    public void AddKeyValues(DataViewSchema.Annotations.Builder builder) => Values?.AddKeyValues(builder);

    /// <summary>Adds SlotNames (the key values as text, when known) for Score.</summary>
    public void AddSlotNames(DataViewSchema.Annotations.Builder builder)
    {
        if (Values is null)
            return;
        ReadOnlyMemory<char>[] names = Values.Texts.Select(t => t.AsMemory()).ToArray();
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, names.Length),
            (ref VBuffer<ReadOnlyMemory<char>> dst) => new VBuffer<ReadOnlyMemory<char>>(names.Length, names).CopyTo(ref dst));
    }

    /// <summary>Same count and, if any, the same key values of the same kind.</summary>
    public bool SameAs(LabelKeys other) =>
        Count == other.Count && (Values, other.Values) switch
        {
            (null, null) => true,
            ({ } a, { } b) => a.Kind == b.Kind && a.Texts.SequenceEqual(b.Texts, StringComparer.Ordinal),
            _ => false,
        };

    internal static string Format<T>(T value) => value switch
    {
        ReadOnlyMemory<char> text => text.ToString(),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? string.Empty,
    };
}
