namespace MLNetWhitening.Torch;

/// <summary>
/// Per matrix of a verified root: κ, the method that produced it, why a fallback happened (or null), and the
/// iterations of the approximate root's refinement (null where none ran; kept after a fallback).
/// </summary>
internal sealed record RootChecks(double[] Condition, MatrixRootMethod[] Methods, string?[] Reasons, int?[] RefinementIterations);
