using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// Scalars that outlive the TorchSharp calls they are passed to: TorchSharp 0.107 hands a Scalar's native handle to
/// libtorch without keeping the managed Scalar alive, so one made implicitly from a number (or the alpha = 1 inside
/// <c>Tensor + Tensor</c>) may be finalized during the call (docs/architecture.md, "TorchSharp Scalars"). The
/// constants live as long as the process; a run-time value is held by its caller: <c>using Scalar s = v.ToScalar();</c>.
/// </summary>
internal static class HeldScalars
{
    /// <summary>0, an integer Scalar.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1, an integer Scalar.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b, without the temporary alpha = 1 that TorchSharp's <c>Tensor + Tensor</c> makes.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a += b in place, without the temporary alpha = 1 that TorchSharp's <c>add_(Tensor)</c> makes.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);
}
