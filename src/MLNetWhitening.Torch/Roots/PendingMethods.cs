using System;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

// Placeholders so the facade compiles; each is replaced by its own file.
internal static class PadeRoot { public static Tensor Compute(Tensor a, RootKind kind, MatrixRootOptions o) => throw new NotImplementedException(); }
internal static class TaylorRoot { public static Tensor Compute(Tensor a, RootKind kind, MatrixRootOptions o) => throw new NotImplementedException(); }
internal static class NewtonSchulzRoot { public static Tensor Compute(Tensor a, RootKind kind, MatrixRootOptions o) => throw new NotImplementedException(); }
