using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>The double-backward check of the decorrelated batch norm's tests.</summary>
internal static class LayerHessian
{
    /// <summary>
    /// The relative error of H v, the Hessian-vector product of L = ⟨y, G⟩ + ‖y‖⁴/100 with respect to the input, by
    /// autograd with create_graph, against central differences of the gradient along v (float64); G and v random
    /// from <paramref name="seed"/>, which is printed.
    /// </summary>
    public static double VectorProductError(DecorrelatedBatchNorm layer, Tensor x0, ulong seed)
    {
        Console.WriteLine($"seed {seed} (G, v)");
        var gen = Seeded.Generator(seed);
        Tensor g = randn(x0.shape, dtype: float64, generator: gen), v = randn(x0.shape, dtype: float64, generator: gen);
        Tensor Gradient(Tensor at, bool graph)
        {
            Tensor x = at.detach().requires_grad_();
            Tensor y = layer.forward(x);
            Tensor loss = (y * g).sum() + y.square().sum().square() / 100;
            Tensor grad = autograd.grad(new[] { loss }, new[] { x }, retain_graph: graph, create_graph: graph)[0];
            return graph ? autograd.grad(new[] { (grad * v).sum() }, new[] { x })[0] : grad;
        }
        Tensor hv = Gradient(x0, graph: true);
        const double h = 1e-4;
        Tensor numeric = (Gradient(x0 + h * v, graph: false) - Gradient(x0 - h * v, graph: false)) / (2 * h);
        double error = (linalg.norm(hv - numeric) / linalg.norm(numeric)).item<double>();
        Console.WriteLine($"relative Hessian-vector error {error:G3}");
        return error;
    }
}
