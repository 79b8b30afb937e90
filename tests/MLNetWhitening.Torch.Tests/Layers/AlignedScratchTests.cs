using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>
/// The managed kernels' scratch: the length asked for, on a 64-byte boundary, from the pool up to 1 Mi values and
/// allocated above, for doubles and for the lanes' vector types.
/// </summary>
[TestClass]
public sealed class AlignedScratchTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(1000)]
    [DataRow(16384)]
    [DataRow((1 << 20) - 8)]
    [DataRow(1 << 20)]
    public void Rent_GivesTheLengthOnA64ByteBoundary(int length)
    {
        // Several rentals in a row, so that arrays of every start the pool hands out are seen.
        var arrays = new double[4][];
        for (int i = 0; i < arrays.Length; i++)
        {
            Span<double> span = AlignedScratch.Rent(length, out arrays[i]);
            Assert.AreEqual(length, span.Length);
            Assert.AreEqual(0, Address(ref MemoryMarshal.GetReference(span)) % 64, $"rental {i} of {length}");
            Assert.IsTrue(arrays[i].Length >= AlignedScratch.RentedLength(length));
            span.Fill(i); // within the array: a span past its end would have thrown
        }
        foreach (double[] array in arrays)
            AlignedScratch.Return(array);
    }

    [TestMethod]
    public void RentVectors_GivesTheCountOnA64ByteBoundary()
    {
        Span<Wide512Lanes<double>> wide = AlignedScratch.Rent<Wide512Lanes<double>>(33, out double[] a);
        Span<PairedWide512Lanes> paired = AlignedScratch.Rent<PairedWide512Lanes>(17, out double[] b);
        Span<PortableLanes<float>> portable = AlignedScratch.Rent<PortableLanes<float>>(5, out double[] c);
        Assert.AreEqual(33, wide.Length);
        Assert.AreEqual(17, paired.Length);
        Assert.AreEqual(5, portable.Length);
        Assert.AreEqual(0, Address(ref MemoryMarshal.GetReference(wide)) % 64);
        Assert.AreEqual(0, Address(ref MemoryMarshal.GetReference(paired)) % 64);
        Assert.AreEqual(0, Address(ref MemoryMarshal.GetReference(portable)) % 64);
        AlignedScratch.Return(a);
        AlignedScratch.Return(b);
        AlignedScratch.Return(c);
    }

    private static long Address<T>(ref T first) => Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref first);
}
