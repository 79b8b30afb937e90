using System;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>Small batched helpers shared by the approximate forwards and the Lyapunov backward. Nothing is modified in place.</summary>
internal static class MatrixOps
{
    /// <summary>(X + Xᵀ) / 2 of a (B, n, n) batch; exactly symmetric in floating point.</summary>
    public static Tensor Symmetrise(Tensor x) => x.Plus(x.transpose(-1, -2)).mul(HeldScalars.Half);

    /// <summary>The n × n identity in <paramref name="like"/>'s dtype and device (a fresh tensor, never shared).</summary>
    public static Tensor Identity(Tensor like) => eye(like.size(-1), dtype: like.dtype, device: like.device);

    /// <summary>Per-matrix Frobenius norm ‖X‖_F of a (B, n, n) batch, shaped (B, 1, 1), floored at a tiny positive number.</summary>
    public static Tensor FrobeniusNorm(Tensor x) => linalg.matrix_norm(x).clamp_min(Tiny(x.dtype)).unsqueeze(-1).unsqueeze(-1);

    /// <summary>Per-matrix trace of a (B, n, n) batch, shaped (B, 1, 1), floored at a tiny positive number.</summary>
    public static Tensor Trace(Tensor x) => x.diagonal(0, -2, -1).sum(dim: -1, keepdim: true).unsqueeze(-1).clamp_min(Tiny(x.dtype));

    /// <summary>
    /// The pre-normalisation of Song et al. 2022 (MTP and MPA): s = ‖A‖_F per matrix and Z = I − A / s, whose eigenvalues lie in [0, 1)
    /// for a positive semidefinite A. Returns Z; <paramref name="scale"/> receives s, shaped (B, 1, 1).
    /// </summary>
    public static Tensor ShiftedByFrobeniusNorm(Tensor a, out Tensor scale)
    {
        scale = FrobeniusNorm(a);
        return Identity(a) - a / scale;
    }

    /// <summary>A / s with s = ‖A‖_F per matrix, whose eigenvalues lie in [0, 1] for a positive semidefinite A; <paramref name="scale"/> receives s, (B, 1, 1).</summary>
    public static Tensor ScaledByFrobeniusNorm(Tensor a, out Tensor scale)
    {
        scale = FrobeniusNorm(a);
        return a / scale;
    }

    /// <summary>
    /// The values of a float32 or float64 tensor, flattened, as doubles on the host: one transfer, and no conversion
    /// operation on the device (each TorchSharp call costs a few µs, which matters in the backward's loop).
    /// </summary>
    public static double[] ToHost(Tensor t)
    {
        Tensor host = t.device_type == DeviceType.CPU ? t : t.cpu();
        try
        {
            return host.dtype switch
            {
                ScalarType.Float64 => host.data<double>().ToArray(),
                ScalarType.Float32 => Array.ConvertAll(host.data<float>().ToArray(), x => (double)x),
                _ => host.to(ScalarType.Float64).data<double>().ToArray(),
            };
        }
        finally
        {
            if (!ReferenceEquals(host, t))
                host.Dispose();
        }
    }

    /// <summary>
    /// The smallest value of a float32 or float64 tensor, NaN if any is NaN: on the CPU read in place (no tensor
    /// operation, which costs a few µs in TorchSharp), elsewhere one reduction and one read-back.
    /// </summary>
    public static double Min(Tensor t)
    {
        if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            return t.min().ToDouble();
        return t.dtype == ScalarType.Float64
            ? Min<double>(MemoryMarshal.Cast<byte, double>(t.bytes))
            : Min<float>(MemoryMarshal.Cast<byte, float>(t.bytes));
    }

    private static double Min<T>(ReadOnlySpan<T> values)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T min = T.PositiveInfinity;
        foreach (T v in values)
        {
            if (T.IsNaN(v))
                return double.NaN;
            if (v < min)
                min = v;
        }
        return double.CreateTruncating(min);
    }

    private static readonly Scalar TinyFloat64 = 1e-300.ToScalar(), TinyFloat32 = 1e-30.ToScalar();

    /// <summary>A positive floor far below any meaningful norm, to keep a zero matrix from dividing by zero (held: see <see cref="HeldScalars"/>).</summary>
    public static Scalar Tiny(ScalarType dtype) => dtype == ScalarType.Float64 ? TinyFloat64 : TinyFloat32;
}
