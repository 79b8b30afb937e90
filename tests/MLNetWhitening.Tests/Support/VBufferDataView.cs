using Microsoft.ML.Data;

namespace MLNetWhitening.Tests;

/// <summary>A minimal in-memory view with one Single vector column "Features" holding the given (possibly sparse) rows.</summary>
public sealed class VBufferDataView(VBuffer<float>[] rows, int size) : SingleVectorColumnView(size)
{
    protected override long Count => rows.Length;

    protected override void GetRow(long position, ref VBuffer<float> destination) => rows[position].CopyTo(ref destination);
}
