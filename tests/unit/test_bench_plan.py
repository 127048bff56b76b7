"""The benchmark's plans: --quick keeps to its budget by construction, --events N measures one size, the full run
spans 10^3 to 10^6; and the growth plot's points come from the figures. Nothing is run or timed here."""

from __future__ import annotations

from typing import Any

import pytest

from bench.common import QUICK_SIZES, SIZES, YAML_MAX_EVENTS
from bench.measuring.session import ALLOWANCE_S, QUICK_BUDGET_S, Plan
from bench.reporting.plot import series
from bench.run import parse_arguments, plan_for


def test_quick_is_one_size_of_100000_in_the_bulk_format_with_three_pairs() -> None:
    plan = plan_for(parse_arguments(["--quick"]))
    assert plan.sizes == QUICK_SIZES == (100_000,)
    assert plan.pairs == 3 and plan.default_page_loads == 3
    assert plan.formats_for(100_000) == ("jsonl",)
    # one build, no warm-up, one page load, no regeneration, no cProfile of the 100,000-event build
    assert (plan.runs_for(100_000), plan.warm_up_for(100_000), plan.loads_for(100_000)) == (1, False, 1)
    assert plan.regeneration_runs == 0 and not plan.profile_largest_build


def test_quick_steps_add_up_to_less_than_three_minutes() -> None:
    plan = plan_for(parse_arguments(["--quick"]))
    steps = [name for name, _ in plan.steps()]
    # every step the run makes is counted: 4 builds of each (a warm-up and 3 pairs), 3 + 1 page loads, the template,
    # the synthetic events, one build and one load at 100,000 and three profiles
    assert steps.count("baseline build") == steps.count("default build") == 4
    assert steps.count("build of 100,000 events") == steps.count("page of 100,000 events") == 1
    assert len(steps) == 4 + 4 + 3 + 1 + 1 + 1 + 1 + 1 + 3
    assert plan.budget_s() <= QUICK_BUDGET_S == 180.0
    assert plan.budget_s() == pytest.approx(sum(seconds for _, seconds in plan.steps()))


def test_the_allowance_grows_with_the_size_so_a_bigger_quick_run_would_not_fit() -> None:
    # The budget holds because of the size: ten times the events is over it.
    assert Plan(sizes=(1_000_000,), quick=True).budget_s() > QUICK_BUDGET_S
    assert ALLOWANCE_S["build per 100,000 events"] > 0


def test_events_n_measures_that_one_size_and_the_full_run_spans_three_orders() -> None:
    assert plan_for(parse_arguments(["--events", "1000000"])).sizes == (1_000_000,)
    full = plan_for(parse_arguments([]))
    assert full.sizes == SIZES == (1_000, 10_000, 100_000, 1_000_000)
    assert full.formats_for(YAML_MAX_EVENTS) == ("yaml", "jsonl") and full.formats_for(100_000) == ("jsonl",)
    assert full.runs_for(1_000_000) == 1 and not full.warm_up_for(1_000_000) and full.regeneration_runs == 5


def size_entry(seconds: float, rss: float, page_bytes: int, drawn: float, search: list[float]) -> dict[str, Any]:
    page = {"bytes": page_bytes, "drew": True, "drawn_ms": [drawn], "filter_sync_ms": [2.0, 4.0, 3.0]}
    return {
        "primary": "jsonl",
        "formats": {"jsonl": {"seconds": [seconds], "max_rss_mb": [rss]}},
        "page": page | {"search_ms": search},
    }


def test_the_plot_points_are_the_medians_in_the_plotted_units() -> None:
    sizes = {
        "1000": size_entry(1.0, 120.0, 700_000, 400.0, [5.0, 7.0, 6.0]),
        "100000": size_entry(5.0, 400.0, 16_000_000, 1800.0, []),
    }
    points = series(sizes)
    assert points["build wall time (s)"] == [(1_000, 1.0), (100_000, 5.0)]
    assert points["build peak RSS (GB)"] == [(1_000, 0.12), (100_000, 0.4)]
    assert points["page size (MB)"] == [(1_000, 0.7), (100_000, 16.0)]
    assert points["drawn offline (s)"] == [(1_000, 0.4), (100_000, 1.8)]
    assert points["time filter (ms)"] == [(1_000, 3.0), (100_000, 3.0)]
    assert points["search (ms)"] == [(1_000, 6.0)]  # not measured at 100,000: no point, not a zero
