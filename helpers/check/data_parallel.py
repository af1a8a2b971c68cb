"""Checkers for the exercises of chapter 13 (data parallelism): the reduce-scatter half of a ring
all-reduce, how DistributedSampler shares a data set, unequal shards, and what a ring sends."""

import numpy as np
from torch.utils.data import DistributedSampler

from helpers.backprop import MLP
from helpers.check.verdict import Wrong, call, checker, expect_close, expect_shape


def _reduce_scatter(vectors, steps=None):
    """Rank k's copy of chunk (k + 1) mod K after `steps` reduce-scatter steps (all K - 1 by default)."""
    K = len(vectors)
    chunks = [np.array_split(np.asarray(v, dtype=float), K) for v in vectors]
    for s in range(K - 1 if steps is None else steps):
        messages = [(k, (k - s) % K, chunks[k][(k - s) % K].copy()) for k in range(K)]
        for k, c, data in messages:
            chunks[(k + 1) % K][c] = chunks[(k + 1) % K][c] + data
    return [chunks[k][(k + 1) % K] for k in range(K)]


@checker
def reduce_scatter(reduce_scatter_of):
    """`reduce_scatter_of(vectors)`: K vectors of n numbers (K divides n), one per rank -> a list of
    K arrays of n / K numbers, rank k's complete chunk of the mean after the reduce-scatter."""
    rng = np.random.default_rng(0)
    for K, n in ((4, 12), (3, 9), (2, 6)):
        vectors = [rng.integers(-9, 10, n).astype(float) for _ in range(K)]
        got = call(reduce_scatter_of, [v.copy() for v in vectors])
        summed = _reduce_scatter(vectors)
        expected = [chunk / K for chunk in summed]
        if len(got) != K:
            raise Wrong(f"K = {K}: {len(got)} results where one per rank, {K}, was expected")
        if np.shape(got[0]) == (n,):
            raise Wrong(f"K = {K}, n = {n}: rank 0 returned the whole vector: after reduce-scatter each "
                        f"rank holds one complete chunk of n / K = {n // K} numbers")
        for k in range(K):
            expect_shape(got[k], (n // K,), f"K = {K}: rank {k}'s chunk")
        if all(np.allclose(g, e) for g, e in zip(got, expected)):
            continue
        where = (f"K = {K}, rank 0: expected {np.round(expected[0], 4)}, "
                 f"got {np.round(np.asarray(got[0], float), 4)}")
        mean_chunks = np.array_split(np.mean(vectors, axis=0), K)
        slips = [([c for c in summed], "the sum: divide by the world size K for the mean"),
                 ([mean_chunks[k] for k in range(K)], "rank k holds chunk k: in step s it sends chunk "
                  "(k - s) mod K, so after K - 1 steps it holds chunk (k + 1) mod K"),
                 ([mean_chunks[(k - 1) % K] for k in range(K)], "rank k holds chunk k - 1: after K - 1 "
                  "steps it holds chunk (k + 1) mod K")]
        slips.append(([c / K for c in _reduce_scatter(vectors, 0)], "holds only its own rank's values: chunk "
                      f"(k + 1) mod K arrives complete in the last of the K - 1 = {K - 1} steps"))
        for value, hint in slips:
            if all(np.allclose(g, v) for g, v in zip(got, value)):
                raise Wrong(f"{where}: {hint}")
        raise Wrong(where)
    return "every rank holds the mean of its chunk (k + 1) mod K"


@checker
def sampler_split(split_of):
    """`split_of(n, world_size)` -> (images per rank per epoch, images repeated to pad), as
    DistributedSampler does by default (shuffle or not, drop_last=False)."""
    for n, K in ((1024, 2), (1000, 3), (10, 4), (60_000, 7)):
        sampler = DistributedSampler(range(n), num_replicas=K, rank=0, shuffle=False)
        expected = (len(sampler), sampler.total_size - n)
        got = call(split_of, n, K)
        if len(got) != 2:
            raise Wrong(f"return two numbers, (images per rank, images repeated); got {got}")
        got = tuple(float(g) for g in got)
        if got == expected:
            continue
        where = f"n = {n}, world size {K}: expected {expected}, got ({got[0]:g}, {got[1]:g})"
        if got[0] == n // K and n % K:
            raise Wrong(f"{where}: rounded down, which is drop_last=True; by default the sampler pads "
                        "so that every rank gets ceil(n / K) images")
        if got[0] == n / K and n % K:
            raise Wrong(f"{where}: not a whole number of images: round up")
        if got[0] == expected[0] and got[1] == n % K:
            raise Wrong(f"{where}: n mod K images are left over; the sampler repeats K - (n mod K) of "
                        "them to fill the last round")
        raise Wrong(where)
    return "1,000 images on 3 ranks: 334 each, 2 repeated"


def _shards():
    """A small float64 network, a batch of 10 split 5 + 3 + 2, the shards' gradients and the batch's."""
    rng = np.random.default_rng(0)
    net = MLP([6, 5, 3], activation="relu", seed=0)
    X, y = rng.standard_normal((10, 6)), rng.integers(0, 3, 10)
    flat = lambda grads: np.concatenate([a.ravel() for pair in grads for a in pair])  # noqa: E731
    sizes = [5, 3, 2]
    bounds = np.cumsum([0] + sizes)
    shards = [flat(net.backward(X[a:b], y[a:b])) for a, b in zip(bounds[:-1], bounds[1:])]
    return shards, sizes, flat(net.backward(X, y))


@checker
def combine_shard_gradients(combine):
    """`combine(grads, sizes)`: the gradient of the whole batch from the mean-loss gradients of
    shards of unequal sizes."""
    shards, sizes, whole = _shards()
    got = np.asarray(call(combine, [g.copy() for g in shards], list(sizes)), dtype=float)
    expect_shape(got, whole.shape, "the combined gradient")
    if np.allclose(got, whole, rtol=1e-10, atol=1e-12):
        return "equal to the whole batch's gradient"
    hints = [(np.mean(shards, axis=0), "the plain mean: the 2-image shard counts as much as the 5-image "
              "one; weight each shard by its size"),
             (sum(n * g for n, g in zip(sizes, shards)), "weighted by the sizes but not divided by the "
              "batch size B = 10"),
             (np.sum(shards, axis=0), "the sum: weight each shard's gradient by its share n_k / B"),
             (sum(g / n for n, g in zip(sizes, shards)) / sum(1 / n for n in sizes),
              "weighted by 1 / n_k: a larger shard should count more, not less")]
    for value, hint in hints:
        if np.allclose(got, value, rtol=1e-10, atol=1e-12):
            raise Wrong(f"shards of 5, 3 and 2 images: {hint}")
    expect_close(got, whole, "shards of 5, 3 and 2 images, the combined gradient", rtol=1e-10, atol=1e-12)


@checker
def busiest_rank_traffic(traffic_of):
    """`traffic_of(K, n)` -> (ring, central): the numbers the busiest rank sends plus receives per
    all-reduce of n numbers on K ranks, in a ring and with everything sent to rank 0 and back."""
    for K, n in ((4, 240), (2, 240), (16, 240)):
        got = call(traffic_of, K, n)
        if len(got) != 2:
            raise Wrong(f"return two numbers, (ring, central); got {got}")
        ring, central = (float(g) for g in got)
        expected_ring, expected_central = 4 * (K - 1) * n / K, 2 * (K - 1) * n
        where = f"K = {K}, n = {n}"
        if not np.isclose(ring, expected_ring):
            hint = {2 * (K - 1) * n / K: "only what the rank sends: it receives as much",
                    2 * (K - 1) * n: "the ring sends chunks of n / K numbers, not whole vectors",
                    (K - 1) * n / K: "one phase only, and only sending: reduce-scatter and all-gather "
                                     "each take K - 1 steps"}.get(ring)
            raise Wrong(f"{where}, ring: expected {expected_ring:g}, got {ring:g}"
                        + (f": {hint}" if hint else ""))
        if not np.isclose(central, expected_central):
            hint = {(K - 1) * n: "only one direction: rank 0 receives K - 1 vectors and sends K - 1 back",
                    2 * K * n: "rank 0 does not send to or receive from itself: K - 1 vectors each way",
                    2 * n: "that is the other ranks' traffic; rank 0 is the busiest"}.get(central)
            raise Wrong(f"{where}, central: expected {expected_central:g}, got {central:g}"
                        + (f": {hint}" if hint else ""))
    return "K = 16: ring 3.75 n, central 30 n"
