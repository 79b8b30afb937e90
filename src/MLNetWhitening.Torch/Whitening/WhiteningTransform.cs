using System.Collections.Generic;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The result of <see cref="Whitening.FromData"/> and <see cref="Whitening.FromCovariance"/>: the affine map
/// y = W (x − μ) and what is known about it. Shapes for d features, k outputs (k = d except PCA with a rank) and an
/// optional batch B of independent problems.
/// </summary>
/// <remarks>The tensors belong to the caller (dispose them, or create them inside a dispose scope).</remarks>
/// <param name="Mean">μ, (d) or (B, d); null when the transform came from a covariance.</param>
/// <param name="Matrix">W, (k, d) or (B, k, d), in the input's dtype and device; differentiable where the root is.</param>
/// <param name="Coloring">W⁺, (d, k) or (B, d, k), with W⁺ W = I for k = d, when <see cref="WhiteningOptions.Coloring"/> asked for it; else null.</param>
/// <param name="Diagnostics">One entry per matrix (one for an unbatched input) when <see cref="WhiteningOptions.Verify"/> is on; else null.</param>
public sealed record WhiteningTransform(Tensor? Mean, Tensor Matrix, Tensor? Coloring, IReadOnlyList<WhiteningDiagnostics>? Diagnostics);
