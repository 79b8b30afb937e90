using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>The square root or the inverse square root by one flag, and its gradient, for tests that cover both.</summary>
internal static class RootCalls
{
    public static Tensor Root(Tensor a, bool inverse, MatrixRootOptions o) => inverse ? MatrixRoots.InverseSqrt(a, o) : MatrixRoots.Sqrt(a, o);

    public static (Tensor Root, MatrixRootReport Report) RootEx(Tensor a, bool inverse, MatrixRootOptions o) =>
        inverse ? MatrixRoots.InverseSqrtEx(a, o) : MatrixRoots.SqrtEx(a, o);

    /// <summary>The root and dL/dA for L = ⟨G, root(A)⟩.</summary>
    public static (Tensor Root, Tensor Grad) RootAndGradient(Tensor a, Tensor g, bool inverse, MatrixRootOptions o)
    {
        Tensor leaf = a.detach().requires_grad_(true);
        Tensor r = Root(leaf, inverse, o);
        Tensor grad = autograd.grad(new[] { r }, new[] { leaf }, new[] { g })[0];
        return (r.detach(), grad);
    }
}
