"""The checkers of chapter 13: the right answer passes, each usual slip is named, a stub is not attempted."""

import numpy as np

from helpers.check import data_parallel as check


def reduce_scatter(vectors, steps=None, divide=True, holds=lambda k, K: (k + 1) % K):
    """The ring's reduce-scatter; the keywords make the usual slips."""
    K = len(vectors)
    chunks = [np.array_split(np.array(v, dtype=float), K) for v in vectors]
    for s in range(K - 1 if steps is None else steps):
        messages = [(k, (k - s) % K, chunks[k][(k - s) % K].copy()) for k in range(K)]
        for k, c, data in messages:
            chunks[(k + 1) % K][c] += data
    return [chunks[k][holds(k, K)] / (K if divide else 1) for k in range(K)]


def mean_chunks(vectors, chunk_of):
    K = len(vectors)
    mean = np.array_split(np.mean(vectors, axis=0), K)
    return [mean[chunk_of(k, K)] for k in range(K)]


def stub(*args):
    ...


# reduce_scatter

def test_reduce_scatter_passes_the_ring():
    verdict = check.reduce_scatter(reduce_scatter)
    assert str(verdict) == "✔ reduce_scatter: passed: every rank holds the mean of its chunk (k + 1) mod K"


def test_reduce_scatter_names_a_sum_not_divided_by_the_world_size():
    verdict = check.reduce_scatter(lambda vectors: reduce_scatter(vectors, divide=False))
    assert str(verdict) == ("✘ reduce_scatter: wrong: K = 4, rank 0: expected [-2.5   0.5  -3.25], got "
                            "[-10.   2. -13.]: the sum: divide by the world size K for the mean")


def test_reduce_scatter_names_the_chunk_index_off_by_one():
    verdict = check.reduce_scatter(lambda vectors: mean_chunks(vectors, lambda k, K: k))
    assert "rank k holds chunk k: in step s it sends chunk (k - s) mod K" in str(verdict)


def test_reduce_scatter_names_too_few_steps():
    verdict = check.reduce_scatter(lambda vectors: reduce_scatter(vectors, steps=len(vectors) - 2))
    assert "holds only its own rank's values: chunk (k + 1) mod K arrives complete in the" in str(verdict)


def test_reduce_scatter_names_the_whole_vector():
    verdict = check.reduce_scatter(lambda vectors: [np.mean(vectors, axis=0)] * len(vectors))
    assert "rank 0 returned the whole vector: after reduce-scatter each rank holds one" in str(verdict)


def test_reduce_scatter_stub_is_not_attempted():
    assert str(check.reduce_scatter(stub)).startswith("… reduce_scatter: not attempted yet")


# sampler_split

def test_sampler_split_passes_rounding_up_and_padding():
    verdict = check.sampler_split(lambda n, K: (-(-n // K), -(-n // K) * K - n))
    assert str(verdict) == "✔ sampler_split: passed: 1,000 images on 3 ranks: 334 each, 2 repeated"


def test_sampler_split_names_drop_last():
    verdict = check.sampler_split(lambda n, K: (n // K, 0))
    assert str(verdict) == ("✘ sampler_split: wrong: n = 1000, world size 3: expected (334, 2), "
                            "got (333, 0): rounded down, which is drop_last=True; by default the sampler "
                            "pads so that every rank gets ceil(n / K) images")


def test_sampler_split_names_the_remainder_as_padding():
    verdict = check.sampler_split(lambda n, K: (-(-n // K), n % K))
    assert "n mod K images are left over; the sampler repeats K - (n mod K)" in str(verdict)


def test_sampler_split_names_a_fraction_of_an_image():
    verdict = check.sampler_split(lambda n, K: (n / K, 0))
    assert "not a whole number of images: round up" in str(verdict)


def test_sampler_split_stub_is_not_attempted():
    assert "not attempted yet" in str(check.sampler_split(stub))


# combine_shard_gradients

def test_combine_shard_gradients_passes_the_size_weighted_mean():
    verdict = check.combine_shard_gradients(
        lambda grads, sizes: sum(n * g for n, g in zip(sizes, grads)) / sum(sizes))
    assert str(verdict) == "✔ combine_shard_gradients: passed: equal to the whole batch's gradient"


def test_combine_shard_gradients_names_the_plain_mean():
    verdict = check.combine_shard_gradients(lambda grads, sizes: np.mean(grads, axis=0))
    assert "the plain mean: the 2-image shard counts as much as the 5-image one" in str(verdict)


def test_combine_shard_gradients_names_a_weighted_sum_not_divided():
    verdict = check.combine_shard_gradients(lambda grads, sizes: sum(n * g for n, g in zip(sizes, grads)))
    assert "weighted by the sizes but not divided by the batch size B = 10" in str(verdict)


def test_combine_shard_gradients_names_the_plain_sum():
    verdict = check.combine_shard_gradients(lambda grads, sizes: np.sum(grads, axis=0))
    assert "the sum: weight each shard's gradient by its share n_k / B" in str(verdict)


def test_combine_shard_gradients_stub_is_not_attempted():
    assert "not attempted yet" in str(check.combine_shard_gradients(stub))


# busiest_rank_traffic

def test_busiest_rank_traffic_passes_both_schemes():
    verdict = check.busiest_rank_traffic(lambda K, n: (4 * (K - 1) * n / K, 2 * (K - 1) * n))
    assert str(verdict) == "✔ busiest_rank_traffic: passed: K = 16: ring 3.75 n, central 30 n"


def test_busiest_rank_traffic_names_a_ring_counted_one_way():
    verdict = check.busiest_rank_traffic(lambda K, n: (2 * (K - 1) * n / K, 2 * (K - 1) * n))
    assert str(verdict) == ("✘ busiest_rank_traffic: wrong: K = 4, n = 240, ring: expected 720, got 360: "
                            "only what the rank sends: it receives as much")


def test_busiest_rank_traffic_names_whole_vectors_in_the_ring():
    verdict = check.busiest_rank_traffic(lambda K, n: (2 * (K - 1) * n, 2 * (K - 1) * n))
    assert "the ring sends chunks of n / K numbers, not whole vectors" in str(verdict)


def test_busiest_rank_traffic_names_a_central_rank_counted_one_way():
    verdict = check.busiest_rank_traffic(lambda K, n: (4 * (K - 1) * n / K, (K - 1) * n))
    assert "only one direction: rank 0 receives K - 1 vectors and sends K - 1 back" in str(verdict)


def test_busiest_rank_traffic_names_rank_0_sending_to_itself():
    verdict = check.busiest_rank_traffic(lambda K, n: (4 * (K - 1) * n / K, 2 * K * n))
    assert "rank 0 does not send to or receive from itself" in str(verdict)


def test_busiest_rank_traffic_stub_is_not_attempted():
    assert "not attempted yet" in str(check.busiest_rank_traffic(stub))
