using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// What the decorrelated batch norm checks before any numerical work (backward must never throw, and libtorch must
/// never see a shape it would abort on), and the two layouts it moves between: the input (N, C, *) and the group
/// columns (G, g, M), M = N · (product of *), in which the statistics and the whitening are one batched product each.
/// </summary>
internal static class LayerInput
{
    private const string Layer = "DecorrelatedBatchNorm";

    /// <summary>Rank 2–4, float32 or float64, C = <paramref name="numFeatures"/> (when known).</summary>
    public static void CheckInput(Tensor input, long? numFeatures)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.IsInvalid)
            throw new ArgumentException("The input tensor has been disposed.", nameof(input));
        if (input.dim() < 2 || input.dim() > 4)
            throw new ArgumentException($"{Layer}: expected an input (N, C), (N, C, L) or (N, C, H, W), but got rank {input.dim()} with shape {ShapeText(input.shape)}.", nameof(input));
        if (input.dtype != ScalarType.Float32 && input.dtype != ScalarType.Float64)
            throw new ArgumentException($"{Layer}: expected a float32 or float64 input, but got {input.dtype}.", nameof(input));
        if (numFeatures is long c && input.size(1) != c)
            throw new ArgumentException($"{Layer}: expected {c} channels (dimension 1 of the input), but got shape {ShapeText(input.shape)}.", nameof(input));
    }

    /// <summary>
    /// A state tensor the caller passed (running statistics, affine parameters): the expected shape, and the input's
    /// dtype and device, so that a module left in another dtype or on another device gets a clear message.
    /// </summary>
    public static void CheckState(Tensor? state, string name, long[] shape, Tensor input)
    {
        if (state is null)
            return;
        if (state.IsInvalid)
            throw new ArgumentException($"{Layer}: {name} has been disposed.", name);
        if (!HasShape(state, shape))
            throw new ArgumentException($"{Layer}: expected {name} of shape {ShapeText(shape)}, but got {ShapeText(state.shape)}.", name);
        if (state.dtype != input.dtype)
            throw new ArgumentException($"{Layer}: {name} is {state.dtype} but the input is {input.dtype}; convert one of them (e.g. module.to({input.dtype})).", name);
        if (state.device_type != input.device_type || state.device_index != input.device_index)
            throw new ArgumentException($"{Layer}: {name} is on {state.device} but the input is on {input.device}; move one of them (e.g. module.to(input.device)).", name);
    }

    /// <summary>Training mode: at least 2 samples per channel (a covariance needs them).</summary>
    public static void CheckSamples(Tensor input)
    {
        long samples = Samples(input);
        if (samples < 2)
            throw new ArgumentException($"{Layer}: training mode needs at least 2 samples per channel (N × spatial size), but got {samples} from shape {ShapeText(input.shape)}.", nameof(input));
    }

    /// <summary>Training mode: every value of <paramref name="summary"/> (e.g. each group's ‖Σ‖_F) finite. One read-back.</summary>
    public static void CheckFinite(Tensor summary)
    {
        bool finite;
        using (no_grad())
        using (Tensor all = isfinite(summary.detach()).all())
            finite = all.item<bool>();
        if (!finite)
            throw NotFinite();
    }

    /// <summary>The training-mode refusal of non-finite input (or of a covariance that overflows), for either path.</summary>
    public static ArgumentException NotFinite() => new(
        $"{Layer}: the input holds NaN or infinite values (or values so large that their covariance overflows); training mode needs finite input.", "input");

    /// <summary>
    /// The refusal of a group's regularised covariance that is not positive definite as computed, for either path:
    /// <paramref name="computedIn"/> names the precision, <paramref name="detail"/> what showed it; training in float64
    /// is suggested only where the covariance was not computed in float64 already.
    /// </summary>
    public static ArgumentException NotPositiveDefinite(string computedIn, string detail, bool inFloat64, Exception? inner = null) => new(
        $"{Layer}: a group's regularised batch covariance Σ + ε′I is not positive definite as computed in {computedIn} ({detail}). " +
        (inFloat64 ? "Raise DecorrelatedBatchNormOptions.Epsilon." : "Raise DecorrelatedBatchNormOptions.Epsilon, or train in float64."), "input", inner);

    /// <summary>N times the spatial size: the samples each channel's statistics are taken over.</summary>
    public static long Samples(Tensor input)
    {
        long m = input.size(0);
        for (int i = 2; i < input.dim(); i++)
            m *= input.size(i);
        return m;
    }

    /// <summary>(N, C, *) → (G, g, M): a view for (N, C), one copy otherwise.</summary>
    public static Tensor ToColumns(Tensor input, long groups, long groupSize)
    {
        Tensor channelsFirst = input.dim() == 2 ? input.t() : input.transpose(0, 1);
        return channelsFirst.reshape(groups, groupSize, -1);
    }

    /// <summary>(G, g, M) → the input's (N, C, *) layout, contiguous.</summary>
    public static Tensor FromColumns(Tensor columns, long[] shape)
    {
        long c = shape[1];
        if (shape.Length == 2)
            return columns.reshape(c, shape[0]).t().contiguous();
        var channelsFirst = (long[])shape.Clone();
        (channelsFirst[0], channelsFirst[1]) = (shape[1], shape[0]);
        return columns.reshape(channelsFirst).transpose(0, 1).contiguous();
    }

    public static string ShapeText(long[] shape) => "(" + string.Join(", ", shape) + ")";

    /// <summary>
    /// Whether <paramref name="t"/> has <paramref name="shape"/>, asked dimension by dimension: TorchSharp's
    /// <c>Tensor.shape</c> costs about a microsecond a call (an array made through a native callback), against about
    /// ten nanoseconds for <c>size(i)</c>, and a layer step asks several times.
    /// </summary>
    private static bool HasShape(Tensor t, long[] shape)
    {
        if (t.dim() != shape.Length)
            return false;
        for (int i = 0; i < shape.Length; i++)
            if (t.size(i) != shape[i])
                return false;
        return true;
    }
}
