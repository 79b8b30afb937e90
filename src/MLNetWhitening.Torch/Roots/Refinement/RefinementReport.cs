using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MLNetWhitening.Torch;

/// <summary>
/// What the refinement of an approximate root did (<see cref="MatrixRootOptions.Refine"/>), for each matrix of the
/// batch and in summary. The residual is ‖Z Y − I‖_F / √n of the coupled pair Z ≈ A^(−1/2), Y ≈ A^(1/2) at the last
/// check: each eigenvalue of Z Y is within √n times it of 1, and the root's relative error is about half of that
/// (plus the rounding of the dtype). See docs/matrix-roots.md.
/// </summary>
public sealed class RefinementReport
{
    internal RefinementReport(bool[] converged, int[] iterations, double[] residuals, double[] tolerances, string?[] reasons)
    {
        ConvergedPerMatrix = converged;
        IterationsPerMatrix = iterations;
        ResidualPerMatrix = residuals;
        TolerancePerMatrix = tolerances;
        ReasonPerMatrix = reasons;
        int failed = Array.IndexOf(converged, false);
        Reason = failed < 0 ? null : $"matrix {failed}: {reasons[failed]}";
    }

    /// <summary>Whether every matrix reached its tolerance.</summary>
    public bool Converged => !ConvergedPerMatrix.Contains(false);

    /// <summary>The most iterations any matrix took (each iteration is 3 matrix products).</summary>
    public int Iterations => IterationsPerMatrix.Count == 0 ? 0 : IterationsPerMatrix.Max();

    /// <summary>The largest final residual over the batch (NaN when one is NaN).</summary>
    public double Residual => ResidualPerMatrix.Any(double.IsNaN) ? double.NaN : ResidualPerMatrix.DefaultIfEmpty(0).Max();

    /// <summary>Whether each matrix of the batch reached its tolerance.</summary>
    public IReadOnlyList<bool> ConvergedPerMatrix { get; }

    /// <summary>The iterations each matrix took.</summary>
    public IReadOnlyList<int> IterationsPerMatrix { get; }

    /// <summary>The residual ‖Z Y − I‖_F / √n of each matrix at its last check.</summary>
    public IReadOnlyList<double> ResidualPerMatrix { get; }

    /// <summary>
    /// The tolerance each matrix was held to: <see cref="MatrixRootOptions.RefinementTolerance"/>, or, at its default 0,
    /// the rounding level of the residual, 4 u ‖Z‖_F ‖Y‖_F / √n (u the dtype's unit roundoff) at the last check.
    /// </summary>
    public IReadOnlyList<double> TolerancePerMatrix { get; }

    /// <summary>Why each matrix that did not converge stopped; null for those that converged.</summary>
    public IReadOnlyList<string?> ReasonPerMatrix { get; }

    /// <summary>Why the first matrix that did not converge stopped, with its index (null when all converged).</summary>
    public string? Reason { get; }

    /// <summary>
    /// One line: converged or not, iterations, and the residual of the matrix closest to (or furthest past) its
    /// tolerance, with that tolerance: in a batch, tolerances differ with each matrix's conditioning, so the largest
    /// residual and another matrix's tolerance would not belong together.
    /// </summary>
    public override string ToString()
    {
        int worst = WorstMatrix();
        string residual = worst < 0
            ? string.Create(CultureInfo.InvariantCulture, $"residual {Residual:G2}")
            : string.Create(CultureInfo.InvariantCulture, $"residual {ResidualPerMatrix[worst]:G2} (tolerance {TolerancePerMatrix[worst]:G2}{(ResidualPerMatrix.Count > 1 ? $", matrix {worst}" : "")})");
        return Converged
            ? string.Create(CultureInfo.InvariantCulture, $"refinement converged in {Iterations} iterations, {residual}")
            : string.Create(CultureInfo.InvariantCulture, $"refinement did not converge ({Reason}) after {Iterations} iterations, {residual}");
    }

    /// <summary>The matrix with the largest residual relative to its tolerance (a failed one first), or −1 for none.</summary>
    private int WorstMatrix()
    {
        int worst = -1;
        double largest = double.NegativeInfinity;
        for (int i = 0; i < ResidualPerMatrix.Count; i++)
        {
            double ratio = ConvergedPerMatrix[i] ? ResidualPerMatrix[i] / TolerancePerMatrix[i] : double.PositiveInfinity;
            if (double.IsNaN(ratio) || ratio > largest)
            {
                largest = double.IsNaN(ratio) ? double.PositiveInfinity : ratio;
                worst = i;
            }
        }
        return worst;
    }
}
