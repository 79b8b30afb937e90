#!/usr/bin/env python3
"""The paper's decorrelated batch norm layer on PyTorch: a second baseline for the layer benchmarks (issue #5).

Written from the description in Song, Sebe, Wang 2022 ("Fast Differentiable Matrix Square Root"), section on
decorrelated batch normalisation (their ZCANormBatch), not from their code:
- input (N, C, H, W); channels in groups of g; per group mu and Sigma = (x - mu)(x - mu)^T / (N H W) + eps I;
- the square root of Sigma by the [5, 5] matrix Pade approximant after dividing by its Frobenius norm (MPA), with a
  backward that solves the Lyapunov equation by a fixed 8 coupled Newton-Schulz sign iterations (Lya);
- W = explicit inverse of that square root; y = W (x - mu), times a per-channel weight plus a bias;
- running mean and running W with momentum 0.1.

One float32 training step = forward in training mode + backward of <y, G> for a fixed upstream G, timed beside
torch.nn.BatchNorm2d. The input is built as the C# benchmark's (LayerStep.cs): per group x = A z + b with A a random
orthogonal matrix times singular values log-spaced over [0.1, 1], z standard normal, b a random offset (other random
numbers than TorchSharp's, the same distribution). Prints one Markdown row per setting and layer: median and minimum
step ms over the repeats, and the output's whitening residual ||Cov(y) - I||_F / sqrt(g) (largest group, weight
divided out).

Needs Debian's python3-torch (CPU). Usage: /usr/bin/python3 benchmarks/python/zca_norm_batch.py [repeats] [threads]
"""
import sys
import time

import torch

P = [1.0, -11.0 / 4, 11.0 / 4, -77.0 / 64, 55.0 / 256, -11.0 / 1024]
Q = [1.0, -9.0 / 4, 7.0 / 4, -35.0 / 64, 15.0 / 256, -1.0 / 1024]
SETTINGS = [("paper", 128, 512, 4, 4, 512), ("grouped", 128, 64, 16, 16, 16)]


def pade_sqrt(a):
    """sqrt(s) Q(Z)^-1 P(Z) with s = ||A||_F per matrix and Z = I - A / s."""
    n = a.shape[-1]
    eye = torch.eye(n, dtype=a.dtype).expand_as(a)
    s = torch.linalg.matrix_norm(a).reshape(-1, 1, 1)
    z = eye - a / s
    p, q, power = eye * P[0], eye * Q[0], eye
    for k in range(1, len(P)):
        power = power @ z
        p = p + power * P[k]
        q = q + power * Q[k]
    return torch.linalg.solve(q, p) * s.sqrt()


def lyapunov(x, g, iterations=8):
    """Solves X dA + dA X = G by the coupled Newton-Schulz iteration for the sign of [[X, G], [0, -X]]."""
    n = x.shape[-1]
    eye = torch.eye(n, dtype=x.dtype)
    norm = torch.linalg.matrix_norm(x).reshape(-1, 1, 1)
    b, c = x / norm, g / norm
    for _ in range(iterations):
        b2 = b @ b
        three = 3 * eye - b2
        c = (c @ three - b2 @ c + b @ c @ b) / 2
        b = b @ three / 2
    return c / 2


class MpaLyaSqrt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        x = pade_sqrt(a)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return lyapunov(x, grad)


class ZcaNormBatch(torch.nn.Module):
    def __init__(self, channels, group_size, eps=1e-5, momentum=0.1):
        super().__init__()
        self.groups, self.g, self.eps, self.momentum = channels // group_size, group_size, eps, momentum
        self.weight = torch.nn.Parameter(torch.rand(self.groups, self.g, 1))
        self.bias = torch.nn.Parameter(torch.zeros(self.groups, self.g, 1))
        self.register_buffer("running_mean", torch.zeros(self.groups, self.g, 1))
        self.register_buffer("running_w", torch.eye(self.g).repeat(self.groups, 1, 1))

    def forward(self, x):
        n, c, h, w = x.shape
        cols = x.transpose(0, 1).contiguous().view(self.groups, self.g, -1)
        mu = cols.mean(2, keepdim=True)
        centred = cols - mu
        sigma = centred @ centred.transpose(1, 2) / (n * h * w) + self.eps * torch.eye(self.g, dtype=x.dtype)
        wm = torch.inverse(MpaLyaSqrt.apply(sigma))
        with torch.no_grad():
            self.running_w.mul_(1 - self.momentum).add_(wm, alpha=self.momentum)
            self.running_mean.mul_(1 - self.momentum).add_(mu, alpha=self.momentum)
        y = (wm @ centred) * self.weight + self.bias
        return y.view(c, n, h, w).transpose(0, 1)


def correlated_input(n, c, h, w, g, generator):
    groups = c // g
    q = torch.linalg.qr(torch.randn(groups, g, g, dtype=torch.float64, generator=generator)).Q
    singular = 10.0 ** torch.linspace(-1, 0, g, dtype=torch.float64)
    z = torch.randn(groups, g, n * h * w, dtype=torch.float64, generator=generator)
    offset = torch.randn(groups, g, 1, dtype=torch.float64, generator=generator)
    cols = (q * singular) @ z + offset
    return cols.reshape(c, n, h, w).transpose(0, 1).contiguous().float()


def residual(y, g, scale=None):
    c = y.shape[1]
    cols = y.detach().double().transpose(0, 1).reshape(c // g, g, -1)
    centred = cols - cols.mean(-1, keepdim=True)
    cov = centred @ centred.transpose(-1, -2) / cols.shape[-1]
    if scale is not None:
        s = scale.detach().double()
        cov = cov / (s * s.transpose(-1, -2))
    r = torch.linalg.matrix_norm(cov - torch.eye(g, dtype=torch.float64)) / g ** 0.5
    return r.max().item()


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, float32, median / min of {repeats} steps (ms)")
    print("| setting | layer | step ms (median) | min | output residual |")
    print("|---|---|---|---|---|")
    for name, n, c, h, w, g in SETTINGS:
        generator = torch.Generator().manual_seed(42)
        x = correlated_input(n, c, h, w, g, generator)
        upstream = torch.randn(x.shape, generator=generator)
        for label, layer in [("BatchNorm2d", torch.nn.BatchNorm2d(c)), ("ZCANormBatch (paper)", ZcaNormBatch(c, g))]:
            times = []
            for i in range(repeats + 2):
                leaf = x.detach().requires_grad_()
                start = time.perf_counter()
                layer(leaf).backward(upstream)
                if i >= 2:
                    times.append((time.perf_counter() - start) * 1e3)
                layer.zero_grad()
            times.sort()
            with torch.no_grad():
                r = residual(layer(x), g, getattr(layer, "weight", None) if isinstance(layer, ZcaNormBatch) else None)
            print(f"| {name} | {label} | {times[len(times) // 2]:.3g} | {times[0]:.3g} | {r:.2g} |")


if __name__ == "__main__":
    main()
