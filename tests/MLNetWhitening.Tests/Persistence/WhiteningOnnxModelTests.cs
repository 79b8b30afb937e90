using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Persistence;

namespace MLNetWhitening.Tests.Persistence;

[TestClass]
public sealed class WhiteningOnnxModelTests
{
    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(5, 3)]
    [DataRow(64, 16)]
    public void WhiteningGraph_RunsInOnnxRuntimeAndMatchesDirectComputation(int d, int k)
    {
        var state = new WhiteningReference(d, k, seed: d + 7 * k);
        byte[] model = WhiteningOnnxModel.WriteWhitening("x", "y", d, k, state.Mean, state.W);
        double[][] rows = state.RandomRows(n: 9, seed: 42);

        float[] output = RunFloat(model, "x", "y", rows, d, k);

        for (int r = 0; r < rows.Length; r++)
            WhiteningReference.AssertClose(state.Whiten(rows[r]), output.AsSpan(r * k, k), $"row {r}");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void UnbatchedWhiteningGraph_TakesOneRowAndMatchesDirectComputation(bool doubleInput)
    {
        var state = new WhiteningReference(d: 7, k: 3, seed: 21);
        byte[] model = WhiteningOnnxModel.WriteWhitening("x", "y", 7, 3, state.Mean, state.W, doubleInput, batched: false);
        double[] row = state.RandomRows(n: 1, seed: 22)[0];

        using var session = new InferenceSession(model);
        CollectionAssert.AreEqual(new[] { 7 }, session.InputMetadata["x"].Dimensions);
        CollectionAssert.AreEqual(new[] { 3 }, session.OutputMetadata["y"].Dimensions);
        NamedOnnxValue input = doubleInput
            ? NamedOnnxValue.CreateFromTensor("x", new DenseTensor<double>(row, new[] { 7 }))
            : NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(WhiteningReference.ToFloat(row), new[] { 7 }));
        using var results = session.Run(new[] { input });
        float[] output = results.Single().AsEnumerable<float>().ToArray();

        WhiteningReference.AssertClose(state.Whiten(row), output, "row");
    }

    [TestMethod]
    public void WhiteningGraph_DeclaresDynamicBatchAndFixedFeatureSizes()
    {
        var state = new WhiteningReference(d: 6, k: 4, seed: 1);
        using var session = new InferenceSession(WhiteningOnnxModel.WriteWhitening("in", "out", 6, 4, state.Mean, state.W));

        var input = session.InputMetadata["in"];
        var output = session.OutputMetadata["out"];
        Assert.AreEqual(typeof(float), input.ElementType);
        Assert.AreEqual(typeof(float), output.ElementType);
        CollectionAssert.AreEqual(new[] { -1, 6 }, input.Dimensions);
        CollectionAssert.AreEqual(new[] { -1, 4 }, output.Dimensions);
        Assert.AreEqual("N", input.SymbolicDimensions[0]);
    }

    [TestMethod]
    public void WhiteningGraph_WithDoubleInput_SubtractsTheMeanInDoubleAndOutputsFloat()
    {
        // A large offset: centring in float would lose the small deviations.
        var state = new WhiteningReference(d: 8, k: 5, seed: 3);
        for (int i = 0; i < state.Mean.Length; i++)
            state.Mean[i] += 1000f;
        byte[] model = WhiteningOnnxModel.WriteWhitening("x", "y", 8, 5, state.Mean, state.W, doubleInput: true);
        double[][] rows = state.RandomRows(n: 4, seed: 5);

        using var session = new InferenceSession(model);
        Assert.AreEqual(typeof(double), session.InputMetadata["x"].ElementType);
        var tensor = new DenseTensor<double>(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, 8 });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", tensor) });
        float[] output = results.Single().AsEnumerable<float>().ToArray();

        for (int r = 0; r < rows.Length; r++)
            WhiteningReference.AssertClose(state.Whiten(rows[r]), output.AsSpan(r * 5, 5), $"row {r}");
    }

    [TestMethod]
    public void WhiteningGraph_PropagatesNaN()
    {
        var state = new WhiteningReference(d: 3, k: 2, seed: 11);
        byte[] model = WhiteningOnnxModel.WriteWhitening("x", "y", 3, 2, state.Mean, state.W);
        var rows = new[] { new[] { 0.5, double.NaN, 1.0 }, new[] { 0.5, 0.25, 1.0 } };

        float[] output = RunFloat(model, "x", "y", rows, 3, 2);

        Assert.IsTrue(float.IsNaN(output[0]) && float.IsNaN(output[1]), "the row with a NaN gives NaN");
        WhiteningReference.AssertClose(state.Whiten(rows[1]), output.AsSpan(2, 2), "the clean row");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ColouringGraph_InvertsWhitening(bool doubleInput)
    {
        // W = diag(2, 4, 0.5) and A = W⁻¹: colouring the whitened rows gives the rows back.
        float[] mean = { 1f, -2f, 3f };
        float[] w = { 2f, 0f, 0f, 0f, 4f, 0f, 0f, 0f, 0.5f };
        float[] a = { 0.5f, 0f, 0f, 0f, 0.25f, 0f, 0f, 0f, 2f };
        var state = new WhiteningReference(3, 3, seed: 0);
        mean.CopyTo(state.Mean, 0);
        w.CopyTo(state.W, 0);
        double[][] rows = state.RandomRows(n: 5, seed: 8);
        double[][] whitened = rows.Select(r => state.Whiten(r)).ToArray();
        byte[] model = WhiteningOnnxModel.WriteColouring("y", "x", d: 3, k: 3, mean, a, doubleInput);

        float[] output;
        using (var session = new InferenceSession(model))
        {
            NamedOnnxValue input = doubleInput
                ? NamedOnnxValue.CreateFromTensor("y", new DenseTensor<double>(whitened.SelectMany(r => r).ToArray(), new[] { 5, 3 }))
                : NamedOnnxValue.CreateFromTensor("y", new DenseTensor<float>(whitened.SelectMany(r => r).Select(v => (float)v).ToArray(), new[] { 5, 3 }));
            using var results = session.Run(new[] { input });
            output = results.Single().AsEnumerable<float>().ToArray();
        }

        for (int r = 0; r < rows.Length; r++)
            WhiteningReference.AssertClose(rows[r], output.AsSpan(r * 3, 3), $"row {r}");
    }

    [TestMethod]
    public void WriteWhitening_RejectsMatrixOfWrongLength()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(
            () => WhiteningOnnxModel.WriteWhitening("x", "y", 3, 2, new float[3], new float[5]));
        Assert.AreEqual("w", ex.ParamName);
    }

    [TestMethod]
    public void WriteWhitening_RejectsMeanOfWrongLength()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(
            () => WhiteningOnnxModel.WriteWhitening("x", "y", 3, 2, new float[2], new float[6]));
        Assert.AreEqual("mean", ex.ParamName);
    }

    [TestMethod]
    [DataRow("", "y", "inputName")]
    [DataRow(" ", "y", "inputName")]
    [DataRow("x", "", "outputName")]
    [DataRow("x", "x", "outputName")]
    public void WriteWhitening_RejectsEmptyOrEqualNames(string input, string output, string parameter)
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(
            () => WhiteningOnnxModel.WriteWhitening(input, output, 1, 1, new float[1], new float[1]));
        Assert.AreEqual(parameter, ex.ParamName);
    }

    private static float[] RunFloat(byte[] model, string inputName, string outputName, double[][] rows, int d, int k)
    {
        using var session = new InferenceSession(model);
        var tensor = new DenseTensor<float>(rows.SelectMany(r => r).Select(v => (float)v).ToArray(), new[] { rows.Length, d });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, tensor) });
        var result = results.Single(v => v.Name == outputName);
        var output = result.AsTensor<float>();
        CollectionAssert.AreEqual(new[] { rows.Length, k }, output.Dimensions.ToArray());
        return output.ToArray();
    }
}
