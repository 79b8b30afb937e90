namespace MLNetWhitening.Torch;

/// <summary>Per matrix of a verified root: κ, the method that produced it, and why a fallback happened (or null).</summary>
internal sealed record RootChecks(double[] Condition, MatrixRootMethod[] Methods, string?[] Reasons);
