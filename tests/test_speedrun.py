"""Specifications of helpers.speedrun (the speed-run chapter's network and loop) and of the
summary line of benchmarks/speedrun.py."""

import sys
from pathlib import Path

import torch

from helpers.speedrun import random_affine, speedrun_cnn, train

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import speedrun as bench  # noqa: E402


def test_speedrun_cnn_maps_a_batch_of_digits_to_ten_logits():
    assert speedrun_cnn()(torch.zeros(4, 1, 28, 28)).shape == (4, 10)


def test_speedrun_cnn_with_batch_norm_has_18426_parameters():
    # conv 16*25, batch norm 2*16, conv 32*16*25, batch norm 2*32, linear 512*10 + 10
    assert sum(p.numel() for p in speedrun_cnn((16, 32)).parameters()) == 18_426


def test_speedrun_cnn_without_batch_norm_gives_the_convolutions_their_biases():
    # conv 16*25 + 16, conv 32*16*25 + 32, linear 512*10 + 10
    model = speedrun_cnn((16, 32), batch_norm=False)
    assert sum(p.numel() for p in model.parameters()) == 18_378
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())


def test_random_affine_keeps_the_shape_and_a_blank_image_blank():
    blank = torch.full((3, 1, 28, 28), -0.42)
    out = random_affine(blank, 2.0, torch.Generator().manual_seed(0))
    assert out.shape == (3, 1, 28, 28)
    assert torch.allclose(out, blank, atol=1e-6)


def test_random_affine_is_reproducible_from_its_generator():
    X = torch.rand(5, 1, 28, 28)
    a = random_affine(X, 2.0, torch.Generator().manual_seed(1))
    b = random_affine(X, 2.0, torch.Generator().manual_seed(1))
    assert torch.equal(a, b) and not torch.equal(a, X)


def test_train_takes_ceil_of_epochs_times_n_over_batch_size_steps():
    X, y = torch.randn(300, 1, 28, 28), torch.randint(0, 10, (300,))
    model = speedrun_cnn()
    train(model, X, y, epochs=1.5, batch_size=128, max_lr=1e-2, betas=(0.9, 0.99),
          label_smoothing=0.1, generator=torch.Generator().manual_seed(0))
    norm = next(m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d))
    assert norm.num_batches_tracked.item() == 4  # ceil(1.5 * 300 / 128): one forward per step


def test_train_lowers_the_loss_on_a_small_learnable_set():
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(256, 1, 28, 28, generator=g), torch.randint(0, 10, (256,), generator=g)
    torch.manual_seed(0)
    model = speedrun_cnn()
    model.eval()
    before = torch.nn.functional.cross_entropy(model(X), y).item()
    seconds = train(model, X, y, epochs=10, batch_size=64, max_lr=1e-2, betas=(0.9, 0.99),
                    label_smoothing=0.0, generator=g)
    model.eval()
    after = torch.nn.functional.cross_entropy(model(X), y).item()
    assert seconds > 0 and after < 0.5 * before


def test_benchmark_summary_line_has_the_documented_format():
    row = {"name": "the recipe", "seconds": [1.0, 2.0], "accs": [0.991, 0.989]}
    assert bench.summary_line(row) == "seconds_to_99=1.50 mean_acc=0.9900 min_acc=0.9890 seeds=2"
