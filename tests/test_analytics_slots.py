"""Slots from the user's own posts: known peaks are found in every format, thin data keeps the benchmark."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from agent.analytics import OwnData, load_exports
from agent.analytics.scoring import K_MAX, K_MIN, Evidence, recency_weight, shrink, slot_of, zeros
from agent.analytics.summary import insight
from agent.knowledge.bundle import Bundle
from agent.model.plan import Slot
from agent.planning.timing import benchmark_grid, timing_for
from tests.test_analytics_exports import NOW, PEAK, WRITERS, ZONE, export_file, synthetic_posts

START = dt.date(2026, 11, 23)


def recommended(bundle: Bundle, own: OwnData, platform: str, count: int = 3) -> list[Slot]:
    grids = {p: benchmark_grid(bundle.tables, p, ZONE, START) for p in own.platforms()}
    found = insight(own, ZONE, NOW, grids)
    return timing_for(bundle.tables, platform, count, ZONE, START, found.posteriors.get(platform)).slots


def benchmark_only(bundle: Bundle, platform: str, count: int = 3) -> list[tuple[str, str]]:
    return [(s.day, s.time) for s in timing_for(bundle.tables, platform, count, ZONE, START).slots]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_known_peak_is_recommended_in_every_format(tmp_path: Path, bundle: Bundle, kind: str) -> None:
    _, platform, _ = WRITERS[kind]
    slots = recommended(bundle, load_exports([export_file(tmp_path, kind)], ZONE), platform)
    picked = {(s.day, s.time): s for s in slots}
    assert PEAK in picked, [(s.day, s.time, s.source) for s in slots]
    assert picked[PEAK].source == "own_data"
    assert 0.5 <= picked[PEAK].confidence <= 1
    assert PEAK not in benchmark_only(bundle, platform)  # the peak is the data's, not the studies'


def test_thin_export_keeps_benchmark_slots(tmp_path: Path, bundle: Bundle) -> None:
    thin = synthetic_posts(weeks=2)[:6]
    own = load_exports([export_file(tmp_path, "generic", thin)], ZONE)
    slots = recommended(bundle, own, "linkedin")
    assert all(s.source == "benchmark" for s in slots)
    assert [(s.day, s.time) for s in slots] == benchmark_only(bundle, "linkedin")


def test_noisy_flat_data_leans_on_the_benchmark(tmp_path: Path, bundle: Bundle) -> None:
    flat = synthetic_posts(peak_factor=1.0, noise=1.2)
    own = load_exports([export_file(tmp_path, "generic", flat)], ZONE)
    grids = {"linkedin": benchmark_grid(bundle.tables, "linkedin", ZONE, START)}
    found = insight(own, ZONE, NOW, grids)
    peaked = insight(load_exports([export_file(tmp_path, "x_legacy")], ZONE), ZONE, NOW,
                     {"x": benchmark_grid(bundle.tables, "x", ZONE, START)})
    assert found.posteriors["linkedin"].k > peaked.posteriors["x"].k
    assert K_MIN <= peaked.posteriors["x"].k <= K_MAX


def test_old_peaks_count_less_than_recent_ones(tmp_path: Path, bundle: Bundle) -> None:
    recent = synthetic_posts(weeks=16)
    shift = dt.timedelta(weeks=30, days=1)  # the same rhythm a year ago, one day later: its peak is on Sunday
    old = [dataclasses.replace(p, at=p.at - shift, reactions=p.reactions * 3) for p in synthetic_posts(weeks=16)]
    own = load_exports([export_file(tmp_path, "generic", recent + old)], ZONE)
    slots = [(s.day, s.time) for s in recommended(bundle, own, "linkedin")]
    assert PEAK in slots and ("sun", "19:00") not in slots


def test_recency_weights() -> None:
    assert recency_weight(NOW - dt.timedelta(weeks=10), NOW) == 1.0
    assert recency_weight(NOW - dt.timedelta(weeks=24), NOW) == pytest.approx(0.5)
    assert recency_weight(NOW - dt.timedelta(hours=20), NOW) == 0.0  # totals still growing
    assert recency_weight(NOW - dt.timedelta(weeks=60), NOW) == 0.0


def test_slot_rounds_to_the_nearest_hour_in_the_audience_zone() -> None:
    assert slot_of(dt.datetime(2026, 11, 14, 23, 52, tzinfo=dt.UTC), ZONE) == (5, 19)  # Sat 18:52 EST -> 19
    assert slot_of(dt.datetime(2026, 11, 15, 4, 40, tzinfo=dt.UTC), ZONE) == (6, 0)  # Sat 23:40 -> Sun 00


def test_one_lucky_post_cannot_claim_a_slot() -> None:
    grid = zeros()
    grid[1][10] = 1.0
    sums, weights, squares = zeros(), zeros(), zeros()
    for hour in range(8, 18):  # ten ordinary posts, then one great one at Fri 20:00
        sums[2][hour], weights[2][hour], squares[2][hour] = 1.0, 1.0, 1.0
    sums[4][20], weights[4][20], squares[4][20] = 4.0, 1.0, 16.0
    posterior = shrink(Evidence(sums, weights, squares, 11), grid)
    assert posterior.data_share[4][20] <= 1 / (1 + K_MIN)
    assert posterior.data_share[4][20] < 0.5
