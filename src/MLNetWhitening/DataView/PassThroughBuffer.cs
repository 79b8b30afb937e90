using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The values of one pass-through column for the rows of a block, so that a blocked cursor can read ahead and still
/// serve every column of its current row. Only types whose values can be copied safely are buffered: value types
/// without references, and VBuffers of them (deep-copied); for any other type <see cref="TryCreate"/> returns null and
/// the view falls back to the row-by-row cursor.
/// </summary>
internal abstract class PassThroughBuffer
{
    /// <summary>Reads the input cursor's current value into slot <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A getter serving the slot that <paramref name="slot"/> holds at call time.</summary>
    public abstract Delegate CreateGetter(BlockSlot slot);

    public static PassThroughBuffer? TryCreate(DataViewRowCursor input, DataViewSchema.Column column, int capacity)
    {
        Type raw = column.Type.RawType;
        bool isVBuffer = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>);
        MethodInfo factory = typeof(PassThroughBuffer)
            .GetMethod(isVBuffer ? nameof(CreateVector) : nameof(CreateValue), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(isVBuffer ? raw.GetGenericArguments()[0] : raw);
        return (PassThroughBuffer?)factory.Invoke(null, new object[] { input, column, capacity });
    }

    private static PassThroughBuffer? CreateValue<T>(DataViewRowCursor input, DataViewSchema.Column column, int capacity) =>
        RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? null : new ValueBuffer<T>(input.GetGetter<T>(column), capacity);

    private static PassThroughBuffer? CreateVector<T>(DataViewRowCursor input, DataViewSchema.Column column, int capacity) =>
        RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? null : new VectorBuffer<T>(input.GetGetter<VBuffer<T>>(column), capacity);

    private sealed class ValueBuffer<T> : PassThroughBuffer
    {
        private readonly ValueGetter<T> _source;
        private readonly T[] _slots;

        public ValueBuffer(ValueGetter<T> source, int capacity)
        {
            _source = source;
            _slots = new T[capacity];
        }

        public override void Capture(int slot) => _source(ref _slots[slot]);

        public override Delegate CreateGetter(BlockSlot slot) =>
            new ValueGetter<T>((ref T value) => value = _slots[slot.Current]);
    }

    private sealed class VectorBuffer<T> : PassThroughBuffer
    {
        private readonly ValueGetter<VBuffer<T>> _source;
        private readonly VBuffer<T>[] _slots;

        public VectorBuffer(ValueGetter<VBuffer<T>> source, int capacity)
        {
            _source = source;
            _slots = new VBuffer<T>[capacity];
        }

        public override void Capture(int slot) => _source(ref _slots[slot]);

        // Deep copy: the consumer owns its destination buffers and must never alias ours.
        public override Delegate CreateGetter(BlockSlot slot) =>
            new ValueGetter<VBuffer<T>>((ref VBuffer<T> value) => _slots[slot.Current].CopyTo(ref value));
    }
}
