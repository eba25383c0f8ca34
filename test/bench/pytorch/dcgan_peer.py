#!/usr/bin/env python3
"""The same DCGAN step as Ganvas, in PyTorch, for side-by-side speed figures (never used by tests).

The nets mirror src-main/engine/models/architecture.ts exactly: G = a bias-free "project" matmul
(z -> base x base x ngf*2^(n-1)) + BN + ReLU, then k4/s2 transposed convs (BN + ReLU, Tanh last);
D = k4/s2 convs with LeakyReLU(0.2) (BN on all but the first), then one base x base conv to a logit.
No conv biases. BatchNorm eps 1e-5, momentum 0.1. Adam lr 2e-4, betas (0.5, 0.999).
One step = D on a real and a (detached) fake batch, D update, then G through the updated D with the
non-saturating loss, reusing the fake batch's graph (as pytorch/examples/dcgan does).

Two ways to run it:
  python dcgan_peer.py --preset mnist --threads 2 --steps 5      # prints one JSON line
  python dcgan_peer.py --serve                                    # line protocol for the bench:
      stdin  {"preset": "mnist", "batch": 64, "threads": 2, "steps": 3}
      stdout {"preset": ..., "msPerStep": [...], "cpuMsPerStep": [...], "gForwardImagesPerSec": ...}
The server keeps one net per (preset, batch) so the bench can alternate blocks of Ganvas and
PyTorch steps in one run (the machine is shared: only ratios measured side by side mean anything).
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {
    # id: (size, channels, ngf, ndf)
    "mnist": (28, 1, 64, 64),
    "small32": (32, 3, 64, 64),
    "paper64": (64, 3, 64, 64),
    "large128": (128, 3, 32, 32),
}
Z_DIM = 100


def base_size(size):
    return 7 if size == 28 else 4


class Generator(nn.Module):
    def __init__(self, size, channels, ngf):
        super().__init__()
        base = base_size(size)
        n = round(math.log2(size / base))
        width = lambda level: ngf * 2 ** (n - 1 - level)
        self.base, self.c0 = base, width(0)
        self.project = nn.Linear(Z_DIM, base * base * width(0), bias=False)
        self.bn0 = nn.BatchNorm2d(width(0))
        layers = []
        for i in range(1, n + 1):
            last = i == n
            out = channels if last else width(i)
            layers.append(nn.ConvTranspose2d(width(i - 1), out, 4, 2, 1, bias=False))
            layers += [nn.Tanh()] if last else [nn.BatchNorm2d(out), nn.ReLU(True)]
        self.body = nn.Sequential(*layers)

    def forward(self, z):
        h = self.project(z).view(-1, self.c0, self.base, self.base)
        return self.body(F.relu(self.bn0(h)))


class Discriminator(nn.Module):
    def __init__(self, size, channels, ndf):
        super().__init__()
        base = base_size(size)
        n = round(math.log2(size / base))
        layers, cin = [], channels
        for i in range(1, n + 1):
            out = ndf * 2 ** (i - 1)
            layers.append(nn.Conv2d(cin, out, 4, 2, 1, bias=False))
            if i > 1:
                layers.append(nn.BatchNorm2d(out))
            layers.append(nn.LeakyReLU(0.2, True))
            cin = out
        layers.append(nn.Conv2d(cin, 1, base, 1, 0, bias=False))
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x).view(-1)


def init(m):
    # Paper Sec. 4 / pytorch/examples: N(0, 0.02) weights, BN gamma N(1, 0.02), beta 0.
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


class Peer:
    def __init__(self, preset, batch, channels_last=False):
        size, channels, ngf, ndf = PRESETS[preset]
        torch.manual_seed(1)
        self.G, self.D = Generator(size, channels, ngf), Discriminator(size, channels, ndf)
        self.G.apply(init)
        self.D.apply(init)
        self.fmt = torch.channels_last if channels_last else torch.contiguous_format
        self.G.to(memory_format=self.fmt)
        self.D.to(memory_format=self.fmt)
        self.optG = torch.optim.Adam(self.G.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.optD = torch.optim.Adam(self.D.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.batch = batch
        self.real = (torch.rand(batch, channels, size, size) * 2 - 1).contiguous(memory_format=self.fmt)
        self.params = {
            "G": sum(p.numel() for p in self.G.parameters()),
            "D": sum(p.numel() for p in self.D.parameters()),
        }

    def step(self):
        z = torch.randn(self.batch, Z_DIM)
        fake = self.G(z)
        real_logits = self.D(self.real)
        fake_logits = self.D(fake.detach())
        loss_d = F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
        self.optD.zero_grad(set_to_none=True)
        loss_d.backward()
        self.optD.step()
        loss_g = F.softplus(-self.D(fake)).mean()
        self.optG.zero_grad(set_to_none=True)
        loss_g.backward()
        self.optG.step()
        return loss_d.item(), loss_g.item()

    def g_forward_images_per_sec(self, reps=3):
        self.G.eval()
        with torch.no_grad():
            z = torch.randn(self.batch, Z_DIM)
            self.G(z)
            t = time.perf_counter()
            for _ in range(reps):
                self.G(z)
            dt = time.perf_counter() - t
        self.G.train()
        return reps * self.batch / dt


def run(peers, req):
    torch.set_num_threads(int(req.get("threads", 1)))
    key = (req["preset"], int(req.get("batch", 64)), bool(req.get("channelsLast", False)))
    if key not in peers:
        peers[key] = Peer(*key)
        peers[key].step()  # warm-up: allocator, kernels
    peer = peers[key]
    times, cpu = [], []
    for _ in range(int(req.get("steps", 3))):
        t, c = time.perf_counter(), time.process_time()
        peer.step()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    out = {
        "preset": key[0],
        "batch": key[1],
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "params": peer.params,
        "msPerStep": [round(x, 1) for x in times],
        # CPU time of the whole process (all its threads): on a busy machine the steadier figure.
        "cpuMsPerStep": [round(x, 1) for x in cpu],
    }
    if req.get("forward", False):
        out["gForwardImagesPerSec"] = round(peer.g_forward_images_per_sec())
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--serve", action="store_true", help="answer JSON requests on stdin, one per line")
    ap.add_argument("--preset", default="mnist", choices=sorted(PRESETS))
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--channels-last", action="store_true")
    args = ap.parse_args()
    torch.set_num_interop_threads(1)
    peers = {}
    if not args.serve:
        req = {"preset": args.preset, "batch": args.batch, "threads": args.threads, "steps": args.steps,
               "channelsLast": args.channels_last, "forward": True}
        print(json.dumps(run(peers, req)))
        return
    print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            print(json.dumps(run(peers, json.loads(line))), flush=True)
        except Exception as e:  # one bad request must not end the session
            print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    main()
