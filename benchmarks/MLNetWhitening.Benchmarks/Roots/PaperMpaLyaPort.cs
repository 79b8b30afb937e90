using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// Baseline: a straightforward TorchSharp port of the paper's MPA-Lya inverse square root / square root
/// (Song, Sebe, Wang 2022): fixed [5,5] Padé coefficients, per-matrix Frobenius normalisation, and a backward of
/// a fixed 8 Newton–Schulz sign iterations for the Lyapunov equation. No validation, no convergence test.
/// This is what a user would write from the paper; our library must beat it.
/// </summary>
internal static class PaperMpaLyaPort
{
    private static readonly double[] P = { 1, -11.0 / 4, 11.0 / 4, -77.0 / 64, 55.0 / 256, -11.0 / 1024 };
    private static readonly double[] Q = { 1, -9.0 / 4, 7.0 / 4, -35.0 / 64, 15.0 / 256, -1.0 / 1024 };

    public static Tensor Sqrt(Tensor a) => SqrtFunction.apply(a);

    public static Tensor InverseSqrt(Tensor a) => InverseSqrtFunction.apply(a);

    private static (Tensor P, Tensor Q, Tensor Norm) Pade(Tensor a)
    {
        long n = a.shape[^1];
        Tensor identity = eye(n, dtype: a.dtype, device: a.device).expand(a.shape);
        Tensor norm = linalg.matrix_norm(a).view(-1, 1, 1);
        Tensor z = identity - a / norm;
        Tensor p = identity * P[0];
        Tensor q = identity * Q[0];
        Tensor power = identity;
        for (int k = 1; k < P.Length; k++)
        {
            power = power.matmul(z);
            p = p + power * P[k];
            q = q + power * Q[k];
        }
        return (p, q, norm);
    }

    // Lyapunov X dA + dA X = G by 8 coupled Newton-Schulz sign iterations (paper's backward).
    private static Tensor Lyapunov(Tensor x, Tensor g)
    {
        long n = x.shape[^1];
        Tensor identity = eye(n, dtype: x.dtype, device: x.device);
        Tensor norm = linalg.matrix_norm(x).view(-1, 1, 1);
        Tensor b = x / norm;
        Tensor c = g / norm;
        for (int i = 0; i < 8; i++)
        {
            Tensor b2 = b.matmul(b);
            Tensor three = identity * 3 - b2;
            c = (c.matmul(three) - b2.matmul(c) + b.matmul(c).matmul(b)) * 0.5;
            b = b.matmul(three) * 0.5;
        }
        return c * 0.5;
    }

    private sealed class SqrtFunction : autograd.SingleTensorFunction<SqrtFunction>
    {
        public override string Name => "PaperMpaLyaSqrt";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (p, q, norm) = Pade((Tensor)vars[0]);
            Tensor x = linalg.solve(q, p) * norm.sqrt();
            ctx.save_for_backward(new List<Tensor> { x });
            return x;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            Tensor x = ctx.get_saved_variables()[0];
            return new List<Tensor> { Lyapunov(x, grad) };
        }
    }

    private sealed class InverseSqrtFunction : autograd.SingleTensorFunction<InverseSqrtFunction>
    {
        public override string Name => "PaperMpaLyaInverseSqrt";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (p, q, norm) = Pade((Tensor)vars[0]);
            Tensor y = linalg.solve(p, q) / norm.sqrt();
            ctx.save_for_backward(new List<Tensor> { y });
            return y;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            Tensor y = ctx.get_saved_variables()[0];
            Tensor inverse = y.matmul(y);
            Tensor c = -inverse.matmul(grad).matmul(inverse);
            return new List<Tensor> { Lyapunov(y, c) };
        }
    }
}
