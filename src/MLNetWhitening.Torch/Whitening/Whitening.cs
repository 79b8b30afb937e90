using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Whitening of data and of covariance matrices, in the style of <c>torch.linalg</c> and kornia's <c>zca_mean</c>:
/// tensors in, tensors out, batched, on any device, differentiable where the root is.
/// </summary>
/// <remarks>
/// For data x with mean μ and covariance Σ, a whitening matrix W makes y = W (x − μ) white: Cov(y) = W Σε Wᵀ = I with
/// Σε = Σ + εI. ZCA takes W = Σε^(−1/2), PCA W = diag(λ^(−1/2)) Vᵀ, ZCA-cor the ZCA of the correlation matrix
/// (<see cref="WhiteningType"/>). Shapes: d features, N samples, k outputs (k = d except PCA with a rank), and an
/// optional leading batch B of independent problems. float32 and float64; results in the input's dtype and device.
/// Gradients flow through μ, Σ and W: the ZCA kinds through <see cref="MatrixRoots.InverseSqrt"/> (Daleckii–Krein
/// for Eigen, the Lyapunov equation for the approximate methods), PCA through the robust eigenvector gradient of
/// <see cref="RobustLinalg.Eigh"/> (finite for repeated eigenvalues, where kornia's SVD-based gradient is NaN).
/// </remarks>
/// <example><code>
/// WhiteningTransform t = Whitening.FromData(x);              // x: (N, d) float64
/// Tensor y = Whitening.Apply(x, t.Mean!, t.Matrix);          // (N, d), Cov(y) = I up to ε
/// double r = t.Diagnostics![0].Residual;                      // ‖W Σε Wᵀ − I‖_F / √d
/// </code></example>
public static class Whitening
{
    /// <summary>The sample mean and covariance of data, in its dtype: Σ = (x − μ)ᵀ (x − μ) / (N − correction).</summary>
    /// <param name="x">(N, d) or (B, N, d): N samples (rows) of d features; float32 or float64.</param>
    /// <param name="correction">Subtracted from N in the denominator, as <c>torch.cov</c>: 1 (default) for the
    /// unbiased estimate, 0 for the maximum-likelihood one. N must exceed it.</param>
    /// <returns>Mean (d) or (B, d); Covariance (d, d) or (B, d, d), exactly symmetric.</returns>
    public static (Tensor Mean, Tensor Covariance) MeanAndCovariance(Tensor x, long correction = 1)
    {
        CheckData(x, correction);
        using var scope = NewDisposeScope();
        Tensor mean = x.mean(new long[] { -2 });
        Tensor covariance = CovarianceFunction.Compute(x.transpose(-1, -2), 1.0 / (x.shape[^2] - correction));
        return (mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    /// <summary>The whitening transform of data: its mean and W for <paramref name="options"/>' kind.</summary>
    /// <param name="x">(N, d) or (B, N, d): N samples (rows) of d features; float32 or float64.</param>
    /// <param name="options">Kind, ε, rank, root method, verification; <see cref="WhiteningOptions.Default"/> when null.</param>
    /// <param name="correction">The covariance's denominator is N − correction (see <see cref="MeanAndCovariance"/>).</param>
    /// <returns>Mean (d) or (B, d), W, and W⁺ and the diagnostics as the options ask (<see cref="FromCovariance"/>).</returns>
    /// <exception cref="ArgumentException">x not (N, d) or (B, N, d) float32 or float64 with more than
    /// <paramref name="correction"/> rows; a rank above d.</exception>
    /// <exception cref="WhiteningException">Verified, and Σ + εI is not positive definite, or W is not accurate.</exception>
    public static WhiteningTransform FromData(Tensor x, WhiteningOptions? options = null, long correction = 1)
    {
        options ??= WhiteningOptions.Default;
        options.Validate();
        CheckData(x, correction);
        CheckRank(x, options);
        using var scope = NewDisposeScope();
        var (mean, covariance) = MeanAndCovariance(x, correction);
        WhiteningTransform t = FromCovariance(covariance, options);
        t.Matrix.MoveToOuterDisposeScope();
        t.Coloring?.MoveToOuterDisposeScope();
        return t with { Mean = mean.MoveToOuterDisposeScope() };
    }

    /// <summary>W (and W⁺) of a covariance matrix or batch, with the diagnostics when verified.</summary>
    /// <param name="covariance">Σ, (d, d) or (B, d, d), symmetric positive semidefinite, float32 or float64.</param>
    /// <param name="options">Kind, ε, rank, root method, verification; <see cref="WhiteningOptions.Default"/> when null.</param>
    /// <returns>W (k, d) or (B, k, d); W⁺ (d, k) or (B, d, k) when asked; one <see cref="WhiteningDiagnostics"/> per
    /// matrix when verified. Mean is null.</returns>
    /// <exception cref="ArgumentException">Wrong rank, shape or dtype; not symmetric (when <see cref="MatrixRootOptions.ValidateInput"/>).</exception>
    /// <exception cref="WhiteningException">NaN or infinity (when <see cref="MatrixRootOptions.ValidateInput"/>; the
    /// exception names the matrix); verified, and Σ + εI is not positive definite, or W is not accurate.</exception>
    public static WhiteningTransform FromCovariance(Tensor covariance, WhiteningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        options ??= WhiteningOptions.Default;
        options.Validate();
        MatrixInput.CheckShapeAndType(covariance, nameof(covariance));
        CheckRank(covariance, options);
        if (covariance.NumberOfElements == 0)
            throw new ArgumentException($"Expected at least one matrix of at least one feature, but got shape {MatrixInput.Shape(covariance)}.", nameof(covariance));
        if (options.Root.ValidateInput)
            CheckValues(covariance);
        return Solve(covariance, options);
    }

    /// <summary>y = (x − μ) Wᵀ: whitened rows.</summary>
    /// <param name="x">(N, d) or (B, N, d), float32 or float64.</param>
    /// <param name="mean">μ, (d) or (B, d), in x's dtype and on its device.</param>
    /// <param name="matrix">W, (k, d) or (B, k, d), in x's dtype and on its device.</param>
    /// <returns>(N, k) or (B, N, k), differentiable in all three.</returns>
    /// <exception cref="ArgumentException">Shapes, dtypes or devices that do not match (checked here: libtorch's
    /// matrix product would abort the process on them).</exception>
    public static Tensor Apply(Tensor x, Tensor mean, Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(matrix);
        if (x.IsInvalid || mean.IsInvalid || matrix.IsInvalid)
            throw new ArgumentException("A tensor has been disposed.", x.IsInvalid ? nameof(x) : mean.IsInvalid ? nameof(mean) : nameof(matrix));
        bool batched = x.dim() == 3;
        if ((x.dim() != 2 && !batched) || x.dim() != matrix.dim() || mean.dim() != x.dim() - 1 || x.shape[^1] != matrix.shape[^1] || mean.shape[^1] != x.shape[^1]
            || (batched && (matrix.shape[0] != x.shape[0] || mean.shape[0] != x.shape[0])))
            throw new ArgumentException(
                $"Expected x (N, d), mean (d), matrix (k, d), or the same with a leading batch B, but got x {MatrixInput.Shape(x)}, mean {MatrixInput.Shape(mean)}, matrix {MatrixInput.Shape(matrix)}.",
                nameof(x));
        if (x.dtype != ScalarType.Float32 && x.dtype != ScalarType.Float64)
            throw new ArgumentException($"Expected dtype float32 or float64, but got {x.dtype}.", nameof(x));
        if (mean.dtype != x.dtype || matrix.dtype != x.dtype)
            throw new ArgumentException($"Expected x, mean and matrix of one dtype, but got {x.dtype}, {mean.dtype} and {matrix.dtype}.", mean.dtype != x.dtype ? nameof(mean) : nameof(matrix));
        if (!SameDevice(mean, x) || !SameDevice(matrix, x))
            throw new ArgumentException($"Expected x, mean and matrix on one device, but got {x.device}, {mean.device} and {matrix.device}.", !SameDevice(mean, x) ? nameof(mean) : nameof(matrix));
        return (x - mean.unsqueeze(-2)).matmul(matrix.transpose(-1, -2));
    }

    /// <summary>The solve itself, after validation: Σε = Σ + εI (Σ itself for ε = 0), then the kind's W.</summary>
    internal static WhiteningTransform Solve(Tensor covariance, WhiteningOptions options)
    {
        using var scope = NewDisposeScope();
        Tensor se = covariance;
        if (options.Epsilon != 0)
        {
            using Scalar epsilon = options.Epsilon.ToScalar();
            se = covariance.Plus(eye(covariance.shape[^1], dtype: covariance.dtype, device: covariance.device).mul_(epsilon));
        }
        WhiteningTransform t = WhiteningTypes.Solve(covariance, se, options);
        t.Matrix.MoveToOuterDisposeScope();
        t.Coloring?.MoveToOuterDisposeScope();
        return t;
    }

    private static void CheckData(Tensor x, long correction)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.IsInvalid)
            throw new ArgumentException("The tensor has been disposed.", nameof(x));
        if (x.dim() != 2 && x.dim() != 3)
            throw new ArgumentException($"Expected data (N, d) or a batch (B, N, d), but got a tensor of rank {x.dim()} with shape {MatrixInput.Shape(x)}.", nameof(x));
        if (x.dtype != ScalarType.Float32 && x.dtype != ScalarType.Float64)
            throw new ArgumentException($"Expected dtype float32 or float64, but got {x.dtype}.", nameof(x));
        if (correction < 0)
            throw new ArgumentOutOfRangeException(nameof(correction), correction, $"correction must be ≥ 0, but got {correction}.");
        if (x.shape[^2] <= correction)
            throw new ArgumentException($"Expected more than {correction} samples (rows), but got {x.shape[^2]} in shape {MatrixInput.Shape(x)}.", nameof(x));
        if (x.shape[^1] == 0 || (x.dim() == 3 && x.shape[0] == 0))
            throw new ArgumentException($"Expected at least one data set of at least one feature, but got shape {MatrixInput.Shape(x)}.", nameof(x));
    }

    private static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

    private static void CheckRank(Tensor t, WhiteningOptions options)
    {
        if (options.Rank > t.shape[^1])
            throw new ArgumentOutOfRangeException(nameof(options.Rank), options.Rank,
                $"Rank must be ≤ the number of features ({t.shape[^1]}), but got {options.Rank}.");
    }

    /// <summary>Finite and symmetric (as <see cref="MatrixRoots"/> checks its input), with the failing matrix named.</summary>
    private static void CheckValues(Tensor covariance)
    {
        using var scope = NewDisposeScope();
        Tensor batch = covariance.dim() == 3 ? covariance : covariance.unsqueeze(0);
        var (scale, asymmetry, _) = MatrixValueSummary.Of(batch.detach());
        if (!double.IsFinite(scale))
        {
            int index;
            using (no_grad())
                index = (int)isfinite(batch.detach()).all(-1).all(-1).logical_not().nonzero()[0, 0].item<long>();
            throw new WhiteningException(
                $"The covariance{(covariance.dim() == 3 ? $" at batch index {index}" : "")} holds NaN or infinite values.", index, double.NaN, null);
        }
        double tolerance = MatrixInput.SymmetryTolerance(covariance.dtype) * Math.Max(scale, double.Epsilon);
        if (asymmetry > tolerance)
            throw new ArgumentException($"Expected a symmetric covariance, but max |Σ − Σᵀ| = {asymmetry:G3} exceeds the tolerance {tolerance:G3}. Symmetrise it first, e.g. (Σ + Σᵀ) / 2.", nameof(covariance));
    }
}
