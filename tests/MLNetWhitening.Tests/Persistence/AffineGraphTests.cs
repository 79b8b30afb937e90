using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Persistence;
using Onnx;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>The ONNX graph of y = M (x − a) + b built from <see cref="AffineState"/>: names, checks and numbers.</summary>
[TestClass]
public sealed class AffineGraphTests
{
    [TestMethod]
    public void Graph_CentresInDoubleThenRoundsOnce_LikeTheInMemoryMap()
    {
        // x = 1e6 + 0.3 is not a float; (float)(x − a) keeps 0.3, a float subtraction would give 0.25 or 0.375.
        var state = new AffineState(2, 2, new[] { 1e6, -7.5 }, new[] { 1.0, 0, 0, 1 }, null);
        var column = new GraphColumn("x", "y", state);
        var model = OnnxModelFile.Create(AffineGraph.Build("g", new[] { column }, new GraphLayout(Batched: true, DoubleInput: true, Float64Weights: true)),
            AffineGraph.DefaultOpset, "test", Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>());
        double[] x = { 1e6 + 0.3, 2.25 };

        float[] onnx = Run(model, "x", x);
        float[] centred = new float[2], inMemory = new float[2];
        Centring.Dense<double>(x, state.Shift!, centred);
        state.ToMap().Apply(centred, inMemory);

        CollectionAssert.AreEqual(new[] { (float)(x[0] - 1e6), (float)(x[1] + 7.5) }, onnx);
        CollectionAssert.AreEqual(inMemory, onnx);
    }

    [TestMethod]
    public void Graph_KeepsItsValueNamesApart_FromColumnsNamedLikeThem()
    {
        var state = new AffineState(2, 1, new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 }, new[] { 0.5 });
        var columns = new[] { new GraphColumn("mlnw_c0_shift", "mlnw_c0_matrix_t", state), new GraphColumn("mlnw_c0_shift", "mlnw_c1_product", state) };
        var model = OnnxModelFile.Create(AffineGraph.Build("g", columns, new GraphLayout(Batched: true, DoubleInput: false, Float64Weights: false)),
            AffineGraph.DefaultOpset, "test", Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>());

        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("mlnw_c0_shift", new DenseTensor<float>(new[] { 2f, 5f }, new[] { 1, 2 })) });

        Assert.AreEqual(3 * 1 + 4 * 3 + 0.5f, results.Single(r => r.Name == "mlnw_c0_matrix_t").AsEnumerable<float>().Single());
        Assert.AreEqual(15.5f, results.Single(r => r.Name == "mlnw_c1_product").AsEnumerable<float>().Single());
    }

    [TestMethod]
    public void Build_RefusesNamesThatWouldMakeAnInvalidGraph()
    {
        var state = new AffineState(2, 1, null, new[] { 1.0, 1.0 }, null);
        var layout = new GraphLayout(Batched: false, DoubleInput: true, Float64Weights: true);

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => AffineGraph.Build("g", new[] { new GraphColumn("x", "x", state) }, layout)).Message, "also a graph input");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => AffineGraph.Build("g",
            new[] { new GraphColumn("x", "y", state), new GraphColumn("z", "y", state) }, layout)).Message, "written twice");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => AffineGraph.Build("g",
            new[] { new GraphColumn("x", "y", state), new GraphColumn("x", "z", new AffineState(3, 1, null, new double[3], null)) }, layout)).Message, "disagree on its length");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => AffineGraph.Build("g", new[] { new GraphColumn(" ", "y", state) }, layout)).Message, "empty");
    }

    private static float[] Run(ModelProto model, string input, double[] x)
    {
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input, new DenseTensor<double>(x, new[] { 1, x.Length })) });
        return results.Single().AsEnumerable<float>().ToArray();
    }
}
