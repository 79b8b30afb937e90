using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The scales α of the steps until the next check, planned on the host, as T = 1.5 α I − 0.5 α³ M. Where the
/// matrices' scales differ they are uploaded in one transfer for all the steps: a copy from pageable host memory to
/// a GPU synchronises the stream, so one per step would cost what the residual checks save.
/// </summary>
internal sealed class StepCoefficients
{
    private readonly double[]? _uniform;
    private readonly Tensor? _columns;

    public StepCoefficients(RefinementScaling scaling, int[] active, int steps, Tensor like)
    {
        var alpha = new double[steps, active.Length];
        bool uniform = true;
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < active.Length; i++)
            {
                alpha[s, i] = scaling.Next(active[i]);
                uniform &= alpha[s, i] == alpha[s, 0];
            }
        }
        if (uniform)
        {
            _uniform = new double[steps];
            for (int s = 0; s < steps; s++)
                _uniform[s] = alpha[s, 0];
            return;
        }
        var values = new double[2 * steps * active.Length];
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < active.Length; i++)
            {
                values[s * active.Length + i] = 1.5 * alpha[s, i];
                values[(steps + s) * active.Length + i] = 0.5 * alpha[s, i] * alpha[s, i] * alpha[s, i];
            }
        }
        _columns = tensor(values, new long[] { 2, steps, active.Length, 1, 1 }, dtype: like.dtype, device: like.device);
    }

    /// <summary>T of step <paramref name="step"/>: scalars when every matrix has the same α, (B, 1, 1) columns otherwise.</summary>
    public Tensor T(int step, Tensor identity, Tensor m)
    {
        if (_uniform is not null)
        {
            double a = _uniform[step];
            using Scalar linear = (1.5 * a).ToScalar(), cubic = (0.5 * a * a * a).ToScalar();
            return identity.mul(linear) - m.mul(cubic);
        }
        return identity * _columns![0, step] - m * _columns[1, step];
    }
}
