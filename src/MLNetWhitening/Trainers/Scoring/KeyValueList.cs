using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>A label's key values (the KeyValues annotation), typed, with their invariant text form for files and slot names.</summary>
internal abstract class KeyValueList
{
    public abstract DataKind Kind { get; }

    /// <summary>Each value as invariant, round-trip text.</summary>
    public abstract IReadOnlyList<string> Texts { get; }

    public abstract void AddKeyValues(DataViewSchema.Annotations.Builder builder);

    /// <summary>
    /// ML.NET's own steps from a Single column holding a 0-based class index to a key column with these key values:
    /// MapValue (index → value, into <paramref name="value"/>) then MapValueToKey with the values in key order as key
    /// data. What a saved multiclass model runs where ML.NET has no scorer of ours.
    /// </summary>
    public abstract IEnumerable<IEstimator<ITransformer>> IndexToKey(MLContext ml, string output, string index, string value);

    public static KeyValueList Read(DataViewSchema.Column label, DataKind kind) => kind switch
    {
        DataKind.String => ReadAs<ReadOnlyMemory<char>>(kind, label, TextDataViewType.Instance),
        DataKind.Single => ReadAs<float>(kind, label, NumberDataViewType.Single),
        DataKind.Double => ReadAs<double>(kind, label, NumberDataViewType.Double),
        DataKind.SByte => ReadAs<sbyte>(kind, label, NumberDataViewType.SByte),
        DataKind.Byte => ReadAs<byte>(kind, label, NumberDataViewType.Byte),
        DataKind.Int16 => ReadAs<short>(kind, label, NumberDataViewType.Int16),
        DataKind.UInt16 => ReadAs<ushort>(kind, label, NumberDataViewType.UInt16),
        DataKind.Int32 => ReadAs<int>(kind, label, NumberDataViewType.Int32),
        DataKind.UInt32 => ReadAs<uint>(kind, label, NumberDataViewType.UInt32),
        DataKind.Int64 => ReadAs<long>(kind, label, NumberDataViewType.Int64),
        DataKind.UInt64 => ReadAs<ulong>(kind, label, NumberDataViewType.UInt64),
        DataKind.Boolean => ReadAs<bool>(kind, label, BooleanDataViewType.Instance),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Key values of this kind are not carried."),
    };

    /// <exception cref="InvalidDataException">A text that does not parse as <paramref name="kind"/>.</exception>
    public static KeyValueList Parse(DataKind kind, string[] texts, string where)
    {
        try
        {
            var c = CultureInfo.InvariantCulture;
            return kind switch
            {
                DataKind.String => new Typed<ReadOnlyMemory<char>>(kind, texts.Select(t => t.AsMemory()).ToArray(), TextDataViewType.Instance),
                DataKind.Single => new Typed<float>(kind, texts.Select(t => float.Parse(t, c)).ToArray(), NumberDataViewType.Single),
                DataKind.Double => new Typed<double>(kind, texts.Select(t => double.Parse(t, c)).ToArray(), NumberDataViewType.Double),
                DataKind.SByte => new Typed<sbyte>(kind, texts.Select(t => sbyte.Parse(t, c)).ToArray(), NumberDataViewType.SByte),
                DataKind.Byte => new Typed<byte>(kind, texts.Select(t => byte.Parse(t, c)).ToArray(), NumberDataViewType.Byte),
                DataKind.Int16 => new Typed<short>(kind, texts.Select(t => short.Parse(t, c)).ToArray(), NumberDataViewType.Int16),
                DataKind.UInt16 => new Typed<ushort>(kind, texts.Select(t => ushort.Parse(t, c)).ToArray(), NumberDataViewType.UInt16),
                DataKind.Int32 => new Typed<int>(kind, texts.Select(t => int.Parse(t, c)).ToArray(), NumberDataViewType.Int32),
                DataKind.UInt32 => new Typed<uint>(kind, texts.Select(t => uint.Parse(t, c)).ToArray(), NumberDataViewType.UInt32),
                DataKind.Int64 => new Typed<long>(kind, texts.Select(t => long.Parse(t, c)).ToArray(), NumberDataViewType.Int64),
                DataKind.UInt64 => new Typed<ulong>(kind, texts.Select(t => ulong.Parse(t, c)).ToArray(), NumberDataViewType.UInt64),
                DataKind.Boolean => new Typed<bool>(kind, texts.Select(bool.Parse).ToArray(), BooleanDataViewType.Instance),
                _ => throw new InvalidDataException($"{where}: key values of kind {kind} are not supported."),
            };
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{where}: a key value does not parse as {kind} ({e.Message}).", e);
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException($"{where}: a key value is out of the range of {kind} ({e.Message}).", e);
        }
    }

    private static Typed<T> ReadAs<T>(DataKind kind, DataViewSchema.Column label, PrimitiveDataViewType type)
    {
        VBuffer<T> values = default;
        label.GetKeyValues(ref values);
        return new Typed<T>(kind, values.DenseValues().ToArray(), type);
    }

    private sealed class Typed<T> : KeyValueList
    {
        private readonly T[] _values;
        private readonly PrimitiveDataViewType _type;

        public Typed(DataKind kind, T[] values, PrimitiveDataViewType type)
        {
            Kind = kind;
            _values = values;
            _type = type;
            Texts = values.Select(LabelKeys.Format).ToArray();
        }

        public override DataKind Kind { get; }

        public override IReadOnlyList<string> Texts { get; }

        public override void AddKeyValues(DataViewSchema.Annotations.Builder builder) =>
            builder.Add("KeyValues", new VectorDataViewType(_type, _values.Length), (ref VBuffer<T> dst) => new VBuffer<T>(_values.Length, _values).CopyTo(ref dst));

        public override IEnumerable<IEstimator<ITransformer>> IndexToKey(MLContext ml, string output, string index, string value)
        {
            // ValueMapping and the key data take text as string.
            if (typeof(T) == typeof(ReadOnlyMemory<char>))
                return Steps(ml, Texts.ToArray(), output, index, value);
            return Steps(ml, _values, output, index, value);
        }

        private static IEnumerable<IEstimator<ITransformer>> Steps<TValue>(MLContext ml, TValue[] values, string output, string index, string value)
        {
            var pairs = values.Select((v, i) => new KeyValuePair<float, TValue>(i, v));
            IDataView keyData = ml.Data.LoadFromEnumerable(values.Select(v => new KeyRow<TValue> { Value = v }));
            return new IEstimator<ITransformer>[]
            {
                ml.Transforms.Conversion.MapValue(value, pairs, index),
                ml.Transforms.Conversion.MapValueToKey(output, value, keyData: keyData),
            };
        }
    }

    /// <summary>One key value, for the key data of MapValueToKey.</summary>
    private sealed class KeyRow<TValue>
    {
        public TValue Value { get; set; } = default!;
    }
}
