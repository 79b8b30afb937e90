using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Scalars that outlive the TorchSharp calls they are passed to. TorchSharp 0.107 hands a Scalar's native handle to
/// libtorch without keeping the managed Scalar alive, and one made implicitly from a number (<c>t * 0.5</c>,
/// <c>t &gt; 0</c>, the alpha = 1 inside <c>Tensor + Tensor</c>) is held by nothing, so the finalizer may free it
/// during the call (docs/architecture.md, "TorchSharp Scalars"). The constants here live as long as the process; a
/// value known only at run time is held by its caller: <c>using Scalar s = value.ToScalar();</c>.
/// </summary>
internal static class HeldScalars
{
    /// <summary>0, an integer Scalar (comparisons and clamps of any dtype).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1, an integer Scalar.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>−1, an integer Scalar.</summary>
    public static readonly Scalar MinusOne = (-1).ToScalar();

    /// <summary>−2, an integer Scalar.</summary>
    public static readonly Scalar MinusTwo = (-2).ToScalar();

    /// <summary>0.5.</summary>
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>−0.5.</summary>
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();

    /// <summary>NaN, the fill of a failed gradient.</summary>
    public static readonly Scalar NaN = double.NaN.ToScalar();

    /// <summary>a + b, without the temporary alpha = 1 that TorchSharp's <c>Tensor + Tensor</c> makes.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a += b in place, without the temporary alpha = 1 that TorchSharp's <c>add_(Tensor)</c> makes.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);
}
