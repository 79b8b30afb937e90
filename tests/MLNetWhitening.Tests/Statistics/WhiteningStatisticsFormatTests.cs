using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class WhiteningStatisticsFormatTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static WhiteningStatistics Sample(int n = 200, int d = 5, bool asDouble = false, MissingValuePolicy policy = MissingValuePolicy.Error)
    {
        float[][] rows = TestData.Correlated(Math.Max(n, 1), d, seed: 91)[..n];
        IDataView data = asDouble ? TestData.ToDoubleDataView(Ml, rows, d) : TestData.ToDataView(Ml, rows, d);
        return Ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { MissingValues = policy }).ComputeStatistics(data)[0];
    }

    private static void AssertSame(WhiteningStatistics expected, WhiteningStatistics actual)
    {
        Assert.AreEqual(expected.ToString(), actual.ToString());
        Assert.AreEqual(expected.InputType, actual.InputType);
        CollectionAssert.AreEqual(expected.Mean.ToArray(), actual.Mean.ToArray());
        CollectionAssert.AreEqual(expected.CoMoment.ToArray(), actual.CoMoment.ToArray());
    }

    [TestMethod]
    [DataRow(200, 5, false, MissingValuePolicy.Error)]
    [DataRow(37, 1, true, MissingValuePolicy.SkipRow)]
    [DataRow(0, 3, false, MissingValuePolicy.Error)]
    [DataRow(300, 130, true, MissingValuePolicy.Error)]
    public void WriteThenRead_GivesTheSameBits(int n, int d, bool asDouble, MissingValuePolicy policy)
    {
        WhiteningStatistics s = Sample(n, d, asDouble, policy);
        byte[] bytes = s.ToBytes();

        Assert.AreEqual(40 + "Features".Length + 8 * (d + d * (d + 1) / 2) + 4, bytes.Length);
        AssertSame(s, WhiteningStatistics.FromBytes(bytes));
        using var unseekable = new OneWayStream(bytes);
        AssertSame(s, WhiteningStatistics.ReadFrom(unseekable));
    }

    [TestMethod]
    public void EveryTruncation_IsAClearError()
    {
        byte[] bytes = Sample(50, 4).ToBytes();
        for (int length = 0; length < bytes.Length; length++)
        {
            foreach (Stream stream in new Stream[] { new MemoryStream(bytes, 0, length), new OneWayStream(bytes[..length]) })
            {
                var ex = Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.ReadFrom(stream), $"length {length}");
                StringAssert.StartsWith(ex.Message, "Whitening statistics: ");
                Assert.IsTrue(ex.Message.Contains("truncated") || ex.Message.Contains("does not start"), ex.Message);
            }
        }
    }

    [TestMethod]
    public void EveryFlippedByte_IsAClearError()
    {
        int seed = Random.Shared.Next();
        Console.WriteLine($"seed {seed}");
        var random = Seeded.Random(seed);
        byte[] bytes = Sample(50, 4).ToBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] corrupted = (byte[])bytes.Clone();
            corrupted[i] ^= (byte)(1 << random.Next(8));
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.FromBytes(corrupted), $"byte {i}");
            StringAssert.StartsWith(ex.Message, "Whitening statistics: ");
        }
    }

    [TestMethod]
    public void AHugeAnnouncedDimension_FailsBeforeAllocatingIt()
    {
        byte[] bytes = Sample(50, 4).ToBytes();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 40000);   // M2 of 12.8 GB, were it believed
        long before = GC.GetAllocatedBytesForCurrentThread();

        var seekable = Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.FromBytes(bytes));
        var oneWay = Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.ReadFrom(new OneWayStream(bytes)));

        Assert.IsLessThan(4L << 20, GC.GetAllocatedBytesForCurrentThread() - before);
        StringAssert.Contains(seekable.Message, "truncated: the header announces 6400480012 more bytes for d = 40000");
        StringAssert.Contains(oneWay.Message, "truncated: the stream ends within the mean");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 50000);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.FromBytes(bytes)).Message, "dimension d = 50000; expected 1 ≤ d ≤ 46340");
    }

    [TestMethod]
    public void OtherDataAndOtherVersions_AreNamedInTheError()
    {
        byte[] bytes = Sample().ToBytes();
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.FromBytes("PK\u0003\u0004 not ours"u8.ToArray())).Message,
            "does not start with \"MLNWSTAT\"");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.FromBytes(bytes)).Message,
            "format version 2; this library reads version 1 (written by a newer MLNetWhitening)");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.FromBytes(Sample().ToBytes().Concat(new byte[3]).ToArray())).Message,
            "3 bytes follow the statistics of column 'Features'");
    }

    /// <summary>A checksum only guards the transport: values that no pass produces are refused even with a valid CRC.</summary>
    [TestMethod]
    public void InconsistentValuesWithAValidChecksum_AreRefused()
    {
        byte[] bytes = Sample(50, 2).ToBytes();
        int meanAt = 40 + "Features".Length;
        StringAssert.Contains(Rewritten(bytes, b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(meanAt), double.NaN)), "the mean holds NaN");
        StringAssert.Contains(Rewritten(bytes, b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(meanAt + 16), -1)), "diagonal entry 0 is -1");
        StringAssert.Contains(Rewritten(bytes, b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(20), -5)), "row counts used = -5");
        StringAssert.Contains(Rewritten(bytes, b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(20), 0)), "no rows used, but the mean or co-moment matrix is not zero");
        StringAssert.Contains(Rewritten(bytes, b => b[16] = 7), "item type code 7");
        StringAssert.Contains(Rewritten(bytes, b => b[17] = 2), "missing-value policy code 2");
    }

    private static string Rewritten(byte[] original, Action<byte[]> change)
    {
        byte[] bytes = (byte[])original.Clone();
        change(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        return Assert.ThrowsExactly<InvalidDataException>(() => WhiteningStatistics.FromBytes(bytes)).Message;
    }

    /// <summary>A stream that can only be read forward, as a network stream.</summary>
    private sealed class OneWayStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
