using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Refines an approximate inverse square root Z₀ ≈ A^(−1/2) (Padé, Taylor or Newton–Schulz) to A^(±1/2) by the
/// coupled Newton–Schulz iteration, scaled per matrix: Y₀ = A Z₀; T = α (3I − α² Z Y) / 2, Y ← Y T, Z ← T Z; then
/// Z → A^(−1/2) and Y → A^(1/2), with Z Y → I quadratically. Products only: 3 a step.
/// </summary>
/// <remarks>
/// <para>The form: the coupled iteration derived from the sign function (Higham 2008, "Functions of Matrices", ch. 6;
/// Newton–Schulz is the [1/0] member of its Padé family), which is stable: its Fréchet derivative at the limit is
/// idempotent, so a rounding error is carried along but not amplified. The single-matrix Newton step
/// X ← X (3I − X² A) / 2 is not (Guo and Higham 2006), nor its symmetric form X ← X + (X R + R X) / 4 with
/// R = I − X A X: a perturbation across eigenvalues λ_i, λ_j is multiplied by ((λ_i/λ_j)^(1/4) − (λ_j/λ_i)^(1/4))² / 4
/// per step, up to about √κ / 4 (derived; measured: from the exact root at κ = 1e4 the error grew from 7e-14 to 3e-1
/// in 12 steps, while the coupled iteration kept 7e-14).</para>
/// <para>Carried along, not corrected: an error of Z₀ that is not a function of A ends up in the result, amplified by up
/// to √κ. So the approximant must be evaluated without cancellation: Padé in powers of A / ‖A‖_F
/// (<see cref="PadeCoefficients.PInScaledA"/>; in Z = I − A / ‖A‖_F its rounding left the refined root 10–100× less
/// accurate than eigh), Taylor's inverse series has positive terms, Newton–Schulz starts from (A / tr A, I).</para>
/// <para>Each approximant has p ≤ 1 for every eigenvalue p of M₀ = Z₀ A Z₀ (it underestimates λ^(−1/2)), so the
/// scales need only a lower bound: 1 − ‖M₀ − I‖_F, or an inverse-iteration estimate of λ_min(M₀) when the start is
/// poor (<see cref="RefinementScaling"/>). The scales are planned on the host, so the residual is read back (a device
/// synchronisation) only when the plan says the matrix should have converged, and then every step until it has.
/// Each matrix of a batch has its own scales, tolerance and stop: a converged matrix leaves the batch, so neither
/// the speed nor the accuracy of one matrix depends on another.</para>
/// </remarks>
internal static class RootRefinement
{
    /// <summary>Below this first residual (Frobenius) the start is close enough to need no estimate of λ_min.</summary>
    private const double GoodStart = 0.5;

    /// <summary>‖Z Y − I‖_F / √n ≤ DefaultToleranceFactor · u · ‖Z‖_F ‖Y‖_F / √n by default: the rounding level of Z Y.</summary>
    internal const double DefaultToleranceFactor = 4;

    /// <summary>Unit roundoff u of a floating-point dtype.</summary>
    public static double UnitRoundoff(ScalarType dtype) => dtype == ScalarType.Float64 ? Math.ScaleB(1, -53) : Math.ScaleB(1, -24);

    /// <param name="a">(B, n, n) symmetric positive definite, validated, no autograd.</param>
    /// <param name="start">(B, n, n) symmetric Z₀ ≈ A^(−1/2) from an approximant with p ≤ 1 (see remarks).</param>
    /// <param name="kind">Which root to return: Y (square root) or Z (inverse square root), symmetrised.</param>
    /// <param name="o">Uses <see cref="MatrixRootOptions.RefinementTolerance"/> and <see cref="MatrixRootOptions.RefinementMaxIterations"/>.</param>
    /// <returns>The root (the last iterate of the matrices that did not converge) and the report. Never throws for
    /// non-convergence.</returns>
    public static (Tensor Root, RefinementReport Report) Run(Tensor a, Tensor start, RootKind kind, MatrixRootOptions o)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int batch = (int)a.shape[0];
        long n = a.shape[^1];
        double u = UnitRoundoff(a.dtype), sqrtN = Math.Sqrt(n);
        var state = new State(batch, o.RefinementMaxIterations);
        var scaling = new RefinementScaling(batch, LowestBound(a.dtype));
        double target = o.RefinementTolerance > 0 ? o.RefinementTolerance : DefaultToleranceFactor * u;
        Tensor identity = MatrixOps.Identity(a);

        // detach: a handle of our own, so that the first step can free it without freeing the caller's tensor.
        Tensor z = start.detach(), y = a.matmul(z);
        Tensor m = Product(z, y);
        Tensor? result = null;
        int[] active = Range(batch);
        bool first = true;
        while (true)
        {
            // Check: one read-back of the residual and the norms of the kept matrices.
            double[] measured = MatrixOps.ToHost(stack(new[] { linalg.matrix_norm(m - identity), linalg.matrix_norm(z), linalg.matrix_norm(y) }, 1));
            var kept = new List<int>();
            for (int i = 0; i < active.Length; i++)
            {
                int g = active[i];
                double tolerance = o.RefinementTolerance > 0 ? o.RefinementTolerance : DefaultToleranceFactor * u * measured[3 * i + 1] * measured[3 * i + 2] / sqrtN;
                if (state.Decide(g, measured[3 * i] / sqrtN, tolerance))
                    kept.Add(i);
            }
            if (first)
                EstimateSmallest(m, kept, active, measured, state, scaling, target);
            first = false;
            foreach (int i in kept)
                scaling.Observe(active[i], measured[3 * i]);

            Tensor finishedRoot = kind == RootKind.Sqrt ? y : z;
            if (kept.Count == 0 && active.Length == batch)
            {
                result = finishedRoot; // everything stopped at once: no copy
                break;
            }
            result ??= empty_like(finishedRoot);
            CopyFinished(result, finishedRoot, active, kept);
            if (kept.Count == 0)
                break;

            if (kept.Count < active.Length)
            {
                Tensor index = tensor(kept.ConvertAll(i => (long)i).ToArray(), device: a.device);
                (z, y, m) = (z.index_select(0, index), y.index_select(0, index), m.index_select(0, index));
                active = kept.ConvertAll(i => active[i]).ToArray();
            }

            int steps = int.MaxValue;
            foreach (int g in active)
                steps = Math.Min(steps, Math.Max(1, scaling.StepsUntil(g, target, state.StepsLeft(g))));
            var plan = new StepCoefficients(scaling, active, steps, m);
            for (int s = 0; s < steps; s++)
            {
                (z, y, m) = Step(z, y, m, identity, plan, s);
                foreach (int g in active)
                    state.Iterations[g]++;
            }
        }
        return (MatrixOps.Symmetrise(result).MoveToOuterDisposeScope(), state.Report());
    }

    /// <summary>Per-matrix bookkeeping on the host: iterations, last residual and tolerance, outcome.</summary>
    private sealed class State
    {
        private readonly bool[] _converged;
        private readonly double[] _residual, _tolerance, _previous;
        private readonly string?[] _reason;
        private readonly int _maxIterations;

        public State(int batch, int maxIterations)
        {
            _converged = new bool[batch];
            _residual = new double[batch];
            _tolerance = new double[batch];
            _previous = new double[batch];
            _reason = new string?[batch];
            Iterations = new int[batch];
            Array.Fill(_previous, double.PositiveInfinity);
            _maxIterations = maxIterations;
        }

        public int[] Iterations { get; }

        public int StepsLeft(int g) => _maxIterations - Iterations[g];

        /// <summary>Records a check of matrix <paramref name="g"/>; true when it goes on iterating.</summary>
        public bool Decide(int g, double residual, double tolerance)
        {
            _residual[g] = residual;
            _tolerance[g] = tolerance;
            if (residual <= tolerance)
                _converged[g] = true;
            else if (!double.IsFinite(residual))
                _reason[g] = "the residual is not finite";
            else if (_previous[g] < LyapunovSolver.QuadraticPhase && residual > 0.5 * _previous[g])
                _reason[g] = string.Create(CultureInfo.InvariantCulture, $"the residual stopped falling at {residual:G2}, above the tolerance {tolerance:G2}: rounding in this dtype limits this matrix");
            else if (Iterations[g] >= _maxIterations)
                _reason[g] = $"RefinementMaxIterations = {_maxIterations} reached";
            else
            {
                _previous[g] = residual;
                return true;
            }
            return false;
        }

        public void Fail(int g, string reason)
        {
            _converged[g] = false;
            _reason[g] = reason;
        }

        public RefinementReport Report() => new(_converged, Iterations, _residual, _tolerance, _reason);
    }

    /// <summary>
    /// T = α (3I − α² M) / 2, Y ← Y T, Z ← T Z, M ← Z Y; the previous iterates are freed at once (at d = 2048 in float64
    /// each is 32 MB). Z, Y and M are symmetric in exact arithmetic but are not symmetrised here. Symmetrising M makes
    /// the iteration unstable: an error across eigenvalues λ_i, λ_j of A is then multiplied by
    /// ((λ_i/λ_j)^(1/4) − (λ_j/λ_i)^(1/4))² / 4 a step (derived; measured at κ = 1e4: the residual rose from 9e-9 by
    /// 15–25× a step). Symmetrising Z and Y leaves the first-order error propagation as it is (derived), but perturbs
    /// the pair apart: the residual's floor rose 10–100× at κ ≥ 1e6 (float64) with no gain in accuracy (measured), and
    /// the default tolerance then failed.
    /// </summary>
    private static (Tensor Z, Tensor Y, Tensor M) Step(Tensor z, Tensor y, Tensor m, Tensor identity, StepCoefficients plan, int step)
    {
        Tensor zNext, yNext, mNext;
        using (NewDisposeScope())
        {
            Tensor t = plan.T(step, identity, m);
            yNext = y.matmul(t).MoveToOuterDisposeScope();
            zNext = t.matmul(z).MoveToOuterDisposeScope();
            mNext = Product(zNext, yNext).MoveToOuterDisposeScope();
        }
        z.Dispose();
        y.Dispose();
        m.Dispose();
        return (zNext, yNext, mNext);
    }

    /// <summary>M = Z Y (Z A Zᵀ in exact arithmetic), deliberately not symmetrised (see <see cref="Step"/>).</summary>
    private static Tensor Product(Tensor z, Tensor y) => z.matmul(y);

    /// <summary>
    /// For the matrices whose first residual shows a poor start, a lower bound on the smallest eigenvalue of M₀ from
    /// inverse iteration (one Cholesky factorisation, n³/3 flops); only theirs, so that a matrix's scales never depend on
    /// the others of its batch. A matrix stops here when M₀ has no Cholesky factor (A is not positive definite at this
    /// precision) or when its scales plan more steps than <see cref="MatrixRootOptions.RefinementMaxIterations"/> allows.
    /// </summary>
    private static void EstimateSmallest(Tensor m, List<int> kept, int[] active, double[] measured, State state, RefinementScaling scaling, double target)
    {
        if (!kept.Exists(i => measured[3 * i] >= GoodStart))
            return;
        double[] estimate = SmallestEigenvalueEstimate.Estimate(MatrixOps.Symmetrise(m));
        for (int k = kept.Count - 1; k >= 0; k--)
        {
            int i = kept[k], g = active[i];
            if (measured[3 * i] < GoodStart)
                continue;
            if (!(estimate[i] > 0))
            {
                state.Fail(g, "A is not positive definite at this precision (Z₀ A Z₀ has no Cholesky factor)");
                kept.RemoveAt(k);
                continue;
            }
            scaling.RaiseLowerBound(g, LyapunovSolver.EstimateShare * estimate[i]);
            int needed = scaling.StepsUntil(g, target, int.MaxValue / 2);
            if (needed > state.StepsLeft(g))
            {
                state.Fail(g, $"its smallest eigenvalue needs about {needed} iterations, more than RefinementMaxIterations = {state.StepsLeft(g)} allows (at the default 50: A is nearly singular for this dtype)");
                kept.RemoveAt(k);
            }
        }
    }

    /// <summary>Writes the finished matrices (those of <paramref name="active"/> not in <paramref name="kept"/>) into <paramref name="result"/>.</summary>
    private static void CopyFinished(Tensor result, Tensor root, int[] active, List<int> kept)
    {
        var local = new List<long>();
        var global = new List<long>();
        for (int i = 0, k = 0; i < active.Length; i++)
        {
            if (k < kept.Count && kept[k] == i)
            {
                k++;
                continue;
            }
            local.Add(i);
            global.Add(active[i]);
        }
        if (local.Count == 0)
            return;
        using var scope = NewDisposeScope();
        Tensor from = local.Count == active.Length ? root : root.index_select(0, tensor(local.ToArray(), device: root.device));
        result.index_copy_(0, tensor(global.ToArray(), device: root.device), from);
    }

    /// <summary>The smallest ℓ the scales use (see <see cref="RefinementScaling"/>): far below any start of ours.</summary>
    private static double LowestBound(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-8 : 1e-4;

    private static int[] Range(int count)
    {
        var range = new int[count];
        for (int i = 0; i < count; i++)
            range[i] = i;
        return range;
    }
}
