using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// One training-mode step of the decorrelated batch norm on (M, C) CPU rows, as managed float64 arithmetic: the
/// forward (μ, Σ, ε′, W by eigh, y = γ ∘ W (x − μ) + β) and, kept from it, what the backward needs. The mathematics
/// is that of <see cref="WhiteningFunctional.DecorrelatedBatchNorm"/>'s generic path (<see cref="CovarianceFunction"/>,
/// <see cref="RegularisedCovariance"/>, <see cref="EigenRootFunction"/>, <see cref="GroupWhiteningFunction"/>), in
/// float64 throughout; immutable after the forward, so a retained graph can run its backward twice.
/// </summary>
/// <remarks>
/// The kernels' loops here and in the other types of this folder are marked AggressiveOptimization: tiered compilation
/// would first run them unoptimised, with the SIMD lane helpers as calls, for their first calls in every process.
/// </remarks>
internal sealed class FusedLayerStep
{
    private readonly int _rows, _channels, _size;
    private readonly double[] _mean;

    /// <summary>Σ of the groups whose ε′ the rounding floor decided (<see cref="_shiftSlope"/> ≠ 0), else null.</summary>
    private readonly double[]? _unregularised;
    private readonly double[] _shiftSlope;
    private readonly GroupRoots _roots;

    private FusedLayerStep(int rows, int channels, int size, double[] mean, double[]? unregularised, double[] shiftSlope, GroupRoots roots)
    {
        (_rows, _channels, _size) = (rows, channels, size);
        _mean = mean;
        _unregularised = unregularised;
        _shiftSlope = shiftSlope;
        _roots = roots;
    }

    /// <summary>μ, (C).</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>W, (G, g, g).</summary>
    public ReadOnlySpan<double> Whitening => _roots.Whitening;

    /// <summary>The forward: y (M, C) in <paramref name="x"/>'s dtype, and the step kept for the backward.</summary>
    /// <param name="x">(M, C), contiguous, on the CPU, float32 or float64, finite-checked here.</param>
    /// <param name="weight">γ (C), or null.</param>
    /// <param name="bias">β (C), or null.</param>
    /// <param name="size">g, dividing C.</param>
    /// <param name="epsilon">ε of the options.</param>
    /// <remarks>
    /// The arrays of the batch's size and of the groups' matrices are pooled scratch, except what the backward reads
    /// (μ, V, √λ, W): a training step runs this for every layer, and fresh arrays cost their zeroing and cold caches.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (Tensor Output, FusedLayerStep Step) Forward(Tensor x, double[]? weight, double[]? bias, int size, double epsilon)
    {
        int m = (int)x.size(0), c = (int)x.size(1), groups = c / size, n2 = size * size, blocks = groups * n2;
        Span<double> centred = AlignedScratch.Rent(m * c, out double[] data), sigma = AlignedScratch.Rent(blocks, out double[] sigmaArray);
        Span<double> transposed = AlignedScratch.Rent(blocks, out double[] transposedArray);
        try
        {
            RowData.Read(x, centred);
            var mean = new double[c];
            if (!GroupKernels.CentreColumns(centred, m, c, mean))
                throw LayerInput.NotFinite();

            GroupKernels.CrossProducts(centred, centred, m, c, size, 1.0 / m, sigma);
            var shiftSlope = new double[groups];
            Span<double> shifts = transposed.Slice(0, groups); // scratch until the transposes below
            double floorSlope = RegularisedCovariance.FloorSlope(x.dtype);
            bool floorDecides = false;
            for (int k = 0; k < groups; k++)
            {
                ReadOnlySpan<double> block = sigma.Slice(k * n2, n2);
                double norm = Math.Sqrt(Dot(block, block));
                if (!double.IsFinite(norm))
                    throw LayerInput.NotFinite();
                // ε′ = max(ε, c u ‖Σ‖_F) (RegularisedCovariance); where the floor decides, ε′ depends on Σ.
                double floor = floorSlope * norm;
                shifts[k] = Math.Max(epsilon, floor);
                if (floor >= epsilon && norm > 0) // clamp_min's gradient passes at equality too
                {
                    shiftSlope[k] = floorSlope / norm;
                    floorDecides = true;
                }
            }
            double[]? unregularised = floorDecides ? sigma.ToArray() : null;
            for (int k = 0; k < groups; k++)
                for (int i = 0; i < size; i++)
                    sigma[k * n2 + i * size + i] += shifts[k];

            GroupRoots roots = GroupRoots.InverseSqrt(sigma, groups, size, x.dtype);
            // A = γ ∘ W (row i scaled by its channel's γ); y = A x̃ + β, through Aᵀ's rows. W is symmetric, so Aᵀ is W
            // with column j scaled by γ_j.
            roots.Whitening.AsSpan().CopyTo(transposed);
            if (weight is not null)
                for (int row = 0; row < blocks / size; row++)
                    ElementKernels.MultiplyElements(transposed.Slice(row * size, size), weight.AsSpan(row / size * size, size));

            Span<double> y = AlignedScratch.Rent(m * c, out double[] result);
            try
            {
                GroupKernels.ApplyTransposed(centred, transposed, m, c, size, y, add: false);
                if (bias is not null)
                    GroupKernels.AddToRows(y, bias, m, c);
                Tensor output = RowData.Write(y, new long[] { m, c }, x.dtype);
                return (output, new FusedLayerStep(m, c, size, mean, unregularised, shiftSlope, roots));
            }
            finally
            {
                AlignedScratch.Return(result);
            }
        }
        finally
        {
            AlignedScratch.Return(data);
            AlignedScratch.Return(sigmaArray);
            AlignedScratch.Return(transposedArray);
        }
    }

    /// <summary>
    /// The backward for dL/dy = <paramref name="outputGrad"/> (M, C): dL/dx (when <paramref name="inputGrad"/>),
    /// dL/dγ (when <paramref name="weightGrad"/>) and dL/dβ (when <paramref name="biasGrad"/>), as tensors in the
    /// input's dtype.
    /// </summary>
    /// <param name="x">The forward's input, (M, C) contiguous.</param>
    /// <param name="outputGrad">dL/dy, (M, C) contiguous.</param>
    /// <param name="weight">γ as in forward, or null.</param>
    /// <param name="inputGrad">Whether dL/dx is wanted.</param>
    /// <param name="weightGrad">Whether dL/dγ is wanted.</param>
    /// <param name="biasGrad">Whether dL/dβ is wanted.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (Tensor? Input, Tensor? Weight, Tensor? Bias) Backward(Tensor x, Tensor outputGrad, double[]? weight, bool inputGrad, bool weightGrad, bool biasGrad)
    {
        int m = _rows, c = _channels, g = _size, groups = c / g, n2 = g * g, length = m * c, blocks = groups * n2;
        ScalarType type = outputGrad.dtype;
        Span<double> dy = AlignedScratch.Rent(length, out double[] upstream), xc = AlignedScratch.Rent(length, out double[] centred);
        Span<double> dBeta = AlignedScratch.Rent(c, out double[] columns);
        Span<double> dA = AlignedScratch.Rent(blocks, out double[] first), dSigma = AlignedScratch.Rent(blocks, out double[] second);
        try
        {
            RowData.Read(outputGrad, dy);
            RowData.Read(x, xc);
            GroupKernels.AddToRows(xc, _mean, m, c, -1.0);

            GroupKernels.ColumnSums(dy, m, c, dBeta);
            Tensor? biasOut = biasGrad ? RowData.Write(dBeta, new long[] { c }, type) : null;
            if (!inputGrad && !weightGrad)
                return (null, null, biasOut);

            // dA = dY x̃ᵀ per group (A = γ ∘ W); dγ_i = Σ_j dA_ij W_ij, dW = γ ∘ dA.
            GroupKernels.CrossProducts(dy, xc, m, c, g, 1.0, dA);
            ReadOnlySpan<double> w = _roots.Whitening;
            Tensor? weightOut = null;
            if (weightGrad)
            {
                Span<double> dGamma = dSigma.Slice(0, c); // dΣ's memory, not yet in use
                for (int k = 0; k < groups; k++)
                    for (int i = 0; i < g; i++)
                        dGamma[k * g + i] = Dot(dA.Slice(k * n2 + i * g, g), w.Slice(k * n2 + i * g, g));
                weightOut = RowData.Write(dGamma, new long[] { c }, type);
            }
            if (!inputGrad)
                return (null, weightOut, biasOut);

            GroupKernels.ScaleRows(dA, weight, g);
            _roots.InverseSqrtBackward(dA, dSigma);
            // ε′'s own dependence on Σ where the rounding floor decides: dΣ += slope · tr(dΣ) · Σ.
            for (int k = 0; k < groups; k++)
            {
                if (_shiftSlope[k] == 0)
                    continue;
                double trace = 0;
                for (int i = 0; i < g; i++)
                    trace += dSigma[k * n2 + i * g + i];
                ElementKernels.Add(dSigma.Slice(k * n2, n2), _unregularised!.AsSpan(k * n2, n2), _shiftSlope[k] * trace);
            }
            // dx = Aᵀ (dY − dβ / M) + (dΣ + dΣᵀ) x̃ / M, per row and group (dΣ symmetric).
            GroupKernels.AddToRows(dy, dBeta, m, c, -1.0 / m);
            Span<double> dx = AlignedScratch.Rent(length, out double[] input);
            try
            {
                Span<double> scaled = dA; // dA is spent: its memory holds A = γ ∘ W
                ScaledWhitening(_roots, weight, scaled);
                GroupKernels.ApplyTransposed(dy, scaled, m, c, g, dx, add: false);
                ElementKernels.Scale(dSigma, 2.0 / m);
                GroupKernels.ApplyTransposed(xc, dSigma, m, c, g, dx);
                return (RowData.Write(dx, new long[] { m, c }, type), weightOut, biasOut);
            }
            finally
            {
                AlignedScratch.Return(input);
            }
        }
        finally
        {
            AlignedScratch.Return(upstream);
            AlignedScratch.Return(centred);
            AlignedScratch.Return(columns);
            AlignedScratch.Return(first);
            AlignedScratch.Return(second);
        }
    }

    /// <summary>A = γ ∘ W into <paramref name="result"/> (W itself without γ).</summary>
    private static void ScaledWhitening(GroupRoots roots, double[]? weight, Span<double> result)
    {
        roots.Whitening.AsSpan().CopyTo(result);
        GroupKernels.ScaleRows(result, weight, roots.Size);
    }

    /// <summary>Σ a_i b_i, in vector lanes (one chain of scalar multiply-adds waits on each one's latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var lanes = Vector<double>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
            lanes = Vector.FusedMultiplyAdd(new Vector<double>(a.Slice(i)), new Vector<double>(b.Slice(i)), lanes);
        double sum = Vector.Sum(lanes);
        for (; i < a.Length; i++)
            sum = Math.FusedMultiplyAdd(a[i], b[i], sum);
        return sum;
    }
}
