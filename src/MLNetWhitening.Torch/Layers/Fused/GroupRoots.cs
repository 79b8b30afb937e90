using System;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// W = A^(−1/2) of each group's regularised covariance A = Σ + ε′I, (G, g, g) float64, from its eigendecomposition
/// A = V diag(λ) Vᵀ (by <see cref="BatchedTridiagonalEigen"/> where it is the faster, else LAPACK's eigh), and the
/// Daleckii–Krein backward of the inverse square root (the formulas of <see cref="EigenRootFunction"/>, here on
/// managed arrays).
/// </summary>
internal sealed class GroupRoots
{
    private readonly int _groups;
    private readonly int _size;

    /// <summary>V, (G, g, g) row-major, eigenvectors in columns.</summary>
    private readonly double[] _vectors;

    /// <summary>s = √λ, (G, g).</summary>
    private readonly double[] _roots;

    private GroupRoots(int groups, int size, double[] vectors, double[] roots, double[] whitening)
    {
        _groups = groups;
        _size = size;
        _vectors = vectors;
        _roots = roots;
        Whitening = whitening;
    }

    /// <summary>W = V diag(1/s) Vᵀ, (G, g, g) row-major, exactly symmetric.</summary>
    public double[] Whitening { get; }

    /// <summary>g.</summary>
    public int Size => _size;

    /// <summary>The inverse square roots of the <paramref name="groups"/> matrices in <paramref name="regularised"/>.</summary>
    /// <param name="regularised">(G, g, g) row-major, symmetric; finite (checked by the caller).</param>
    /// <param name="groups">G.</param>
    /// <param name="size">g.</param>
    /// <param name="layerType">The layer's dtype, for the message when a matrix is not positive definite.</param>
    /// <exception cref="ArgumentException">A matrix with an eigenvalue ≤ 0.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static GroupRoots InverseSqrt(ReadOnlySpan<double> regularised, int groups, int size, ScalarType layerType)
    {
        var (values, vectors) = Decompose(regularised, groups, size);
        double smallest = double.PositiveInfinity;
        foreach (double value in values)
            smallest = Math.Min(smallest, value);
        if (!(smallest > 0))
            throw LayerInput.NotPositiveDefinite($"float64 for a {layerType} layer", $"its smallest eigenvalue is {smallest:G3}", inFloat64: true);

        int n = size, n2 = size * size;
        var roots = new double[values.Length];
        var whitening = new double[regularised.Length];
        // W = V diag(1/s) Vᵀ = U Uᵀ with U = V diag(λ^(−1/4)): all groups' Uᵀ side by side as the rows of P (n, G n),
        // P[l, k n + i] = U_k[i, l], and W_k = P_kᵀ P_k by the cross-product kernel, exactly symmetric.
        Span<double> p = AlignedScratch.Rent(groups * n2, out double[] pArray);
        try
        {
            int width = groups * n;
            for (int k = 0; k < groups; k++)
            {
                ReadOnlySpan<double> v = vectors.AsSpan(k * n2, n2);
                for (int l = 0; l < n; l++)
                {
                    double s = Math.Sqrt(values[k * n + l]);
                    roots[k * n + l] = s;
                    double factor = 1 / Math.Sqrt(s);
                    Span<double> row = p.Slice(l * width + k * n, n);
                    for (int i = 0; i < n; i++)
                        row[i] = v[i * n + l] * factor;
                }
            }
            GroupKernels.CrossProducts(p, p, n, width, n, 1.0, whitening);
        }
        finally
        {
            AlignedScratch.Return(pArray);
        }
        return new GroupRoots(groups, size, vectors, roots, whitening);
    }

    /// <summary>
    /// Eigenvalues (G, g) and eigenvectors (G, g, g) by <see cref="BatchedTridiagonalEigen"/> where it is the faster
    /// (<see cref="LaneEigh.Applies"/>, and, since these matrices are managed arrays already and no tensor is copied,
    /// single matrices up to n = 16: docs/benchmarks.md, "Small CPU batches"), by
    /// LAPACK's eigh through libtorch (float64) elsewhere and in the unexpected case that the QR steps do not converge.
    /// </summary>
    private static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrices, int groups, int size)
    {
        var values = new double[groups * size];
        var vectors = new double[matrices.Length];
        bool lanes = size <= 16 || LaneEigh.Applies(DeviceType.CPU, groups, size, ScalarType.Float64);
        if (lanes && BatchedTridiagonalEigen.Decompose(matrices, groups, size, values, vectors))
            return (values, vectors);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor a = tensor(matrices.ToArray(), new long[] { groups, size, size }, ScalarType.Float64, CPU);
        var (lambda, v) = linalg.eigh(a);
        return (lambda.contiguous().data<double>().ToArray(), v.contiguous().data<double>().ToArray());
    }

    /// <summary>
    /// dL/dA from dL/dW, per group (Daleckii–Krein; Higham, "Functions of Matrices", 2008, Theorem 3.11):
    /// V ((K/2) ∘ F + ((K/2) ∘ F)ᵀ) Vᵀ with F = Vᵀ dW V and K_ij = −1 / (si sj (si + sj)) for f = 1/√·.
    /// Symmetric, the convention of <see cref="EigenRoot"/>.
    /// </summary>
    /// <param name="whiteningGrad">dL/dW, (G, g, g) row-major.</param>
    /// <param name="result">dL/dA, (G, g, g) row-major, overwritten.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void InverseSqrtBackward(ReadOnlySpan<double> whiteningGrad, Span<double> result)
    {
        int n = _size, n2 = n * n;
        var transposed = new double[n2];
        var first = new double[n2];
        var middle = new double[n2];
        for (int k = 0; k < _groups; k++)
        {
            ReadOnlySpan<double> v = _vectors.AsSpan(k * n2, n2);
            ReadOnlySpan<double> s = _roots.AsSpan(k * n, n);
            GroupKernels.Transpose(v, transposed, n);
            GroupKernels.Multiply(whiteningGrad.Slice(k * n2, n2), v, first, n);   // dW V
            GroupKernels.Multiply(transposed, first, middle, n);                   // F = Vᵀ dW V
            for (int i = 0; i < n; i++)
            {
                for (int j = i; j < n; j++)
                {
                    double halfKernel = -0.5 / (s[i] * s[j] * (s[i] + s[j]));
                    double sym = halfKernel * (middle[i * n + j] + middle[j * n + i]);
                    middle[i * n + j] = sym;
                    middle[j * n + i] = sym;
                }
            }
            GroupKernels.Multiply(middle, transposed, first, n);                   // P Vᵀ
            GroupKernels.Multiply(v, first, result.Slice(k * n2, n2), n);          // V P Vᵀ
        }
    }
}
