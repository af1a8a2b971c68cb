"""Specifications of helpers.speedrun (chapter 12's public recipe and augmentation) and of
benchmarks/speedrun.py (the recipe's network and loop, which must stay those the chapter writes out)."""

import json
import math
import time
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from benchmarks import speedrun as bench
from benchmarks.speedrun import RECIPE, speedrun_cnn, train
from helpers.speedrun import public_cnn, random_affine

CHAPTER = Path(__file__).resolve().parent.parent / "chapters" / "12_speed_run.ipynb"


def chapter_code(*starts):
    """The chapter's recipe settings, network and loop: its code cells that start with ``starts``,
    run in a namespace with the chapter's imports."""
    notebook = json.loads(CHAPTER.read_text())
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    namespace = dict(math=math, time=time, torch=torch, F=F, nn=torch.nn, random_affine=random_affine)
    for start in starts:
        found = [source for source in cells if source.startswith(start)]
        assert len(found) == 1, f"one code cell of {CHAPTER.name} should start with {start!r}"
        exec(found[0], namespace)
    return namespace


def test_the_benchmark_trains_the_chapters_recipe_with_the_chapters_settings():
    chapter = chapter_code("CHANNELS = ", "def speedrun_cnn(", "def train_speedrun(")
    settings = dict(channels=chapter["CHANNELS"], crop=chapter["CROP"], epochs=chapter["EPOCHS"],
                    batch_size=chapter["BATCH_SIZE"], max_lr=chapter["MAX_LR"], betas=chapter["BETAS"],
                    label_smoothing=chapter["LABEL_SMOOTHING"], bf16=chapter["BF16"], fused=True)
    assert {key: RECIPE[key] for key in settings} == settings
    assert RECIPE["stride"] == 1 and RECIPE["batch_norm"] and RECIPE["one_cycle"]
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(640, 1, 28, 28, generator=g), torch.randint(0, 10, (640,), generator=g)
    trained = []
    for make, train_fn in ((chapter["speedrun_cnn"], chapter["train_speedrun"]), (speedrun_cnn, train)):
        torch.manual_seed(0)
        net = make().to(memory_format=torch.channels_last)
        train_fn(net, X, y, epochs=1.5, batch_size=128, max_lr=RECIPE["max_lr"], betas=RECIPE["betas"],
                 label_smoothing=RECIPE["label_smoothing"], bf16=False, fused=True, max_shift=2.0,
                 generator=torch.Generator().manual_seed(0))
        trained.append(net.state_dict())
    assert trained[0].keys() == trained[1].keys()
    assert all(torch.equal(trained[0][name], trained[1][name]) for name in trained[0])


@pytest.mark.parametrize("crop, stride", [(2, 1), (0, 1), (2, 2), (0, 2)])
def test_speedrun_cnn_maps_a_batch_of_digits_to_ten_logits(crop, stride):
    assert speedrun_cnn(crop=crop, stride=stride)(torch.zeros(4, 1, 28, 28)).shape == (4, 10)


def test_the_crop_makes_the_border_pixels_irrelevant():
    model = speedrun_cnn(crop=2).eval()
    X = torch.randn(3, 1, 28, 28)
    border = X.clone()
    border[..., :2, :] = border[..., -2:, :] = border[..., :, :2] = border[..., :, -2:] = 5.0
    assert torch.equal(model(X), model(border))


def test_without_batch_norm_the_convolutions_get_their_biases():
    convolutions = [m for m in speedrun_cnn(batch_norm=False).modules() if isinstance(m, torch.nn.Conv2d)]
    assert all(m.bias is not None for m in convolutions)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in speedrun_cnn(batch_norm=False).modules())


def test_public_cnn_has_the_public_recipes_layers():
    # conv 5x5 1->24, conv 3x3 24->32, dense 800->256, dense 256->10, all with biases
    assert public_cnn()(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert sum(p.numel() for p in public_cnn().parameters()) == 24 * 26 + 32 * 217 + 256 * 801 + 10 * 257


def test_random_affine_keeps_a_blank_image_blank_and_is_reproducible():
    blank = torch.full((3, 1, 28, 28), -0.42)
    assert torch.allclose(random_affine(blank, 2.0, torch.Generator().manual_seed(0)), blank, atol=1e-6)
    X = torch.rand(5, 1, 28, 28)
    a, b = (random_affine(X, 2.0, torch.Generator().manual_seed(1)) for _ in range(2))
    assert torch.equal(a, b) and not torch.equal(a, X)


def test_train_takes_ceil_of_epochs_times_n_over_batch_size_steps():
    X, y = torch.randn(300, 1, 28, 28), torch.randint(0, 10, (300,))
    model = speedrun_cnn()
    train(model, X, y, epochs=1.5, batch_size=128, max_lr=1e-2, betas=(0.9, 0.99),
          label_smoothing=0.1, fused=True, generator=torch.Generator().manual_seed(0))
    norm = next(m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d))
    assert norm.num_batches_tracked.item() == 4  # ceil(1.5 * 300 / 128): one forward per step


@pytest.mark.parametrize("one_cycle", [True, False])
def test_train_lowers_the_loss_on_a_small_learnable_set(one_cycle):
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(256, 1, 28, 28, generator=g), torch.randint(0, 10, (256,), generator=g)
    torch.manual_seed(0)
    model = speedrun_cnn().eval()
    before = torch.nn.functional.cross_entropy(model(X), y).item()
    seconds = train(model, X, y, epochs=10, batch_size=64, max_lr=1e-2, betas=(0.9, 0.99),
                    label_smoothing=0.0, one_cycle=one_cycle, generator=g)
    after = torch.nn.functional.cross_entropy(model.eval()(X), y).item()
    assert seconds > 0 and after < 0.5 * before


def test_each_ablation_row_changes_recipe_settings_or_how_it_runs():
    for name, changes, options in bench.ABLATION[2:]:
        assert set(changes) <= set(RECIPE) and all(RECIPE[key] != value for key, value in changes.items())
        assert changes or options, name


def test_benchmark_summary_line_has_the_documented_format():
    recipe = {"name": "the recipe", "seconds": [1.0, 2.0], "accs": [0.991, 0.989]}
    public = {"name": "the public recipe", "seconds": [3.0, 4.0], "accs": [0.99, 0.99]}
    assert bench.summary_line(recipe, public) == (
        "seconds_to_99=1.50 mean_acc=0.9900 min_acc=0.9890 seeds=2 ref_seconds=3.50")


def test_one_benchmark_run_of_each_recipe_reports_seconds_and_accuracy():
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(512, 1, 28, 28, generator=g), torch.randint(0, 10, (512,), generator=g)
    for public in (False, True):
        seconds, accuracy = bench.run_once((X, y, X[:100], y[:100]), 0, threads=1, public=public)
        assert seconds > 0 and 0 <= accuracy <= 1
