using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML;
using MLNetWhitening.Benchmarks.Mlp;
using MLNetWhitening.Benchmarks.Roots;
using MLNetWhitening.Benchmarks.Zca;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Cuda;

/// <summary>
/// <c>-- cuda-check [cuda|cpu]</c>: the GPU path's accuracy on one device, for a machine with a GPU (the test suite
/// runs on the CPU alone). Prints, with the seeds used: the roots of every method against exact roots built in float64
/// (the method used, the refinement's steps and the device the result lies on), the gradients of refined Mpa (the
/// Lyapunov backward) and Eigen against Daleckii–Krein, a batch with one ill-conditioned matrix, the decorrelated batch norm against the same layer in
/// float64 on the CPU, a ZCA fit with <c>Device = Cuda</c> against the CPU's Eigen fit, and a WhitenedMlp fit on
/// digits. With <c>cpu</c> it runs the same on the CPU, to try the harness where there is no GPU. Each check has a
/// bound; a result past it, or on another device than asked, prints FAIL and makes the exit code 1.
/// </summary>
internal static class CudaCheck
{
    private const int Seed = 20261204;

    private static bool _failed;

    public static int Run(string deviceName)
    {
        Device? device = CudaDevices.Resolve(deviceName);
        if (device is null)
            return 1;
        Console.WriteLine($"seed {Seed}; device {device}");
        _failed = false;
        Roots(device);
        Gradient(device);
        IllConditionedBatch(device);
        Layer(device);
        WhiteningDevice whiteningDevice = device.type == DeviceType.CUDA ? WhiteningDevice.Cuda : WhiteningDevice.Cpu;
        Zca(whiteningDevice);
        Mlp(whiteningDevice);
        Console.WriteLine(_failed ? "FAILED" : "all checks within their bounds");
        return _failed ? 1 : 0;
    }

    private static void Expect(bool ok, string what)
    {
        if (!ok)
        {
            _failed = true;
            Console.WriteLine("  FAIL: " + what);
        }
    }

    /// <summary>Whether <paramref name="t"/> lies on <paramref name="device"/> (any index of it, when none is
    /// named).</summary>
    private static bool On(Tensor t, Device device) => t.device_type == device.type && (device.index < 0 || t.device_index == device.index);

    private static void Roots(Device device)
    {
        Console.WriteLine("roots of (4, 128) SPD batches against their exact roots, built in float64 (max relative Frobenius error over the batch)");
        foreach (var (dtype, condition) in new[] { (ScalarType.Float32, 1e2), (ScalarType.Float32, 1e4), (ScalarType.Float64, 1e2), (ScalarType.Float64, 1e8) })
        {
            using var scope = NewDisposeScope();
            var (a, sqrt, inverse) = RootReferences.RandomSpdWithRoots(Seed, 4, 128, condition);
            Tensor x = a.to(dtype).to(device);
            foreach (var impl in new[] { RootImplementation.Eigen, RootImplementation.Auto, RootImplementation.MpaRefined, RootImplementation.Mpa, RootImplementation.NewtonSchulz })
            {
                var options = RootRunner.Options(impl);
                var (r, report) = MatrixRoots.InverseSqrtEx(x, options);
                Tensor s = MatrixRoots.SqrtEx(x, options).Root;
                double inverseError = RootReferences.RelativeError(r.cpu(), inverse), sqrtError = RootReferences.RelativeError(s.cpu(), sqrt);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "  {0,-8} κ={1:0e0} {2,-12} inverse sqrt {3:E2} sqrt {4:E2}  on {5}; used {6}, refinement {7}",
                    dtype, condition, impl, inverseError, sqrtError, r.device, report.Method, report.Refinement?.ToString() ?? "none"));
                Expect(On(r, device) && On(s, device), $"{impl} left the device");
                // The exact methods: within ten times κ u (eigh's own forward error bound, up to a constant).
                double bound = 10 * condition * (dtype == ScalarType.Float32 ? 6e-8 : 1.1e-16);
                if (impl is RootImplementation.Eigen or RootImplementation.Auto or RootImplementation.MpaRefined)
                    Expect(inverseError <= bound && sqrtError <= bound, $"{impl} {dtype} κ={condition:0e0}: errors {inverseError:E2}, {sqrtError:E2} > {bound:E1}");
            }
        }
    }

    private static void Gradient(Device device)
    {
        Console.WriteLine("gradients (float64, (2, 64), κ = 1e3) against Daleckii–Krein: refined Mpa (the Lyapunov backward) and Eigen");
        using var scope = NewDisposeScope();
        Tensor a = RootReferences.RandomSpd(Seed + 1, 2, 64, 1e3);
        Tensor g = RootReferences.RandomSymmetric(Seed + 2, a);
        foreach (var impl in new[] { RootImplementation.MpaRefined, RootImplementation.Eigen })
        {
            foreach (bool inverse in new[] { true, false })
            {
                Tensor x = a.detach().to(device).requires_grad_();
                var options = RootRunner.Options(impl);
                Tensor r = inverse ? MatrixRoots.InverseSqrt(x, options) : MatrixRoots.Sqrt(x, options);
                r.backward(new[] { g.to(device) });
                double error = RootReferences.RelativeError(x.grad!.cpu(), RootReferences.DaleckiiKrein(a, g, inverse));
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-12} {1,-12} relative error {2:E2} (gradient on {3})",
                    impl, inverse ? "inverse sqrt" : "sqrt", error, x.grad!.device));
                Expect(error <= 1e-9 && On(x.grad!, device), $"{impl} gradient: {error:E2} on {x.grad!.device}");
            }
        }
    }

    private static void IllConditionedBatch(Device device)
    {
        Console.WriteLine("refined Mpa on a float64 batch of eight κ = 1e2 matrices and one of κ = 1e12");
        using var scope = NewDisposeScope();
        var (good, _, goodInverse) = RootReferences.RandomSpdWithRoots(Seed + 3, 8, 96, 1e2);
        var (bad, _, badInverse) = RootReferences.RandomSpdWithRoots(Seed + 4, 1, 96, 1e12);
        Tensor x = cat(new[] { good, bad }).to(device);
        Tensor reference = cat(new[] { goodInverse, badInverse });
        var (r, report) = MatrixRoots.InverseSqrtEx(x, RootRunner.Options(RootImplementation.MpaRefined));
        Tensor error = linalg.matrix_norm(r.cpu() - reference) / linalg.matrix_norm(reference);
        Console.WriteLine($"  used {report.Method}; {report.Refinement}");
        Console.WriteLine("  per matrix: " + string.Join(" ", Enumerable.Range(0, 9).Select(i => string.Format(CultureInfo.InvariantCulture,
            "{0:E1}/{1}/{2}", error[i].item<double>(), report.Refinement?.IterationsPerMatrix[i], report.Refinement?.ConvergedPerMatrix[i] == true ? "ok" : "no"))));
        Expect(report.Method == MatrixRootMethod.Mpa && report.Converged && error[..8].max().item<double>() <= 1e-13,
            "the well-conditioned matrices did not converge on their own");
    }

    private static void Layer(Device device)
    {
        Console.WriteLine("DecorrelatedBatchNorm(256) training step, (512, 256) input: the device's float32 against the CPU's float64");
        foreach (int groupSize in new[] { 16, 64 })
        {
            using var scope = NewDisposeScope();
            var options = DecorrelatedBatchNormOptions.Default with { GroupSize = groupSize };
            var onDevice = new DecorrelatedBatchNorm(256, options, device, ScalarType.Float32);
            var reference = new DecorrelatedBatchNorm(256, options, CPU, ScalarType.Float64);
            Tensor input = randn(new long[] { 512, 256 }, dtype: float64, generator: new Generator(Seed + 5)).matmul(
                randn(new long[] { 256, 256 }, dtype: float64, generator: new Generator(Seed + 6)) * 0.1);
            Tensor upstream = randn(new long[] { 512, 256 }, dtype: float64, generator: new Generator(Seed + 7));
            Tensor x = input.to(ScalarType.Float32).to(device).requires_grad_();
            Tensor y = onDevice.forward(x);
            y.backward(new[] { upstream.to(ScalarType.Float32).to(device) });
            Tensor xr = input.requires_grad_();
            Tensor yr = reference.forward(xr);
            yr.backward(new[] { upstream });
            onDevice.eval();
            reference.eval();
            double evalError = (onDevice.forward(x.detach()).cpu().to(float64) - reference.forward(input.detach())).abs().max().item<double>();
            double outputError = (y.cpu().to(float64) - yr).abs().max().item<double>(), gradientError = (x.grad!.cpu().to(float64) - xr.grad!).abs().max().item<double>();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  group {0,2}: output {1:E2}, input gradient {2:E2}, eval output {3:E2} (max abs differences; output on {4})",
                groupSize, outputError, gradientError, evalError, y.device));
            Expect(Math.Max(outputError, Math.Max(gradientError, evalError)) <= 1e-4 && On(y, device), $"layer, group {groupSize}");
        }
    }

    private static void Zca(WhiteningDevice device)
    {
        Console.WriteLine("WhitenZca on 20,000 × 256 synthetic rows: the device's fit against the CPU's Eigen fit");
        var ml = new MLContext(seed: 1);
        IDataView data = ZcaBenchmarkViews.Cached(ml, 256, 20_000);
        var cpu = ml.Transforms.WhitenZca("White", nameof(FeatureRow.Features), ZcaWhiteningOptions.Default with { Device = WhiteningDevice.Cpu, Method = MatrixRootMethod.Eigen }).Fit(data)["White"];
        foreach (var method in new[] { MatrixRootMethod.Auto, MatrixRootMethod.Mpa, MatrixRootMethod.Eigen })
        {
            var fitted = ml.Transforms.WhitenZca("White", nameof(FeatureRow.Features), ZcaWhiteningOptions.Default with { Device = device, Method = method }).Fit(data)["White"];
            double[] w = fitted.WhiteningMatrix.ToArray(), wc = cpu.WhiteningMatrix.ToArray();
            double diff = Math.Sqrt(w.Zip(wc, (p, q) => (p - q) * (p - q)).Sum() / wc.Sum(v => v * v));
            var report = fitted.FitReport;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  {0,-6} device {1}, used {2} ({3} refinement steps), κ {4:E1}, residual {5:E2} (tolerance {6:E1}), W against the CPU's {7:E2}, {8:F0} ms{9}",
                method, report.Device, report.MethodUsed, report.RefinementIterations?.ToString(CultureInfo.InvariantCulture) ?? "no", report.ConditionNumber,
                report.WhiteningResidual, report.ResidualTolerance, diff, report.Elapsed.TotalMilliseconds,
                report.FallbackReason is null ? "" : "; fell back: " + report.FallbackReason));
            Expect(report.Device == device && diff <= 1e-9, $"ZCA fit, {method}: on {report.Device}, W {diff:E2} from the CPU's");
        }
    }

    private static void Mlp(WhiteningDevice device)
    {
        Console.WriteLine("WhitenedMlp on digits, 5 epochs: training accuracy and where it trained");
        var ml = new MLContext(seed: 1);
        IDataView view = MlpBenchmarkData.Load(ml, "digits");
        var options = new WhitenedMlpOptions { LabelColumnName = "LabelKey", NumberOfEpochs = 5, Seed = 1, Device = device };
        var model = ml.MulticlassClassification.Trainers.WhitenedMlp(options).Fit(view);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(view), labelColumnName: "LabelKey");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  device {0}: accuracy {1:F4}, epochs {2} ms",
            model.TrainingSummary.Device, metrics.MicroAccuracy,
            string.Join(" ", model.TrainingSummary.Epochs.Select(e => e.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))));
        Expect(model.TrainingSummary.Device == device && metrics.MicroAccuracy >= 0.9, "WhitenedMlp");
    }
}
