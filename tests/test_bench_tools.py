"""The benchmark's and the load test's own arithmetic and form reading (bench/), which their figures rest on."""

from __future__ import annotations

import math

import pytest

from bench import stats
from bench.loadtest import forms


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert stats.percentile(values, 0.50) == 50
    assert stats.percentile(values, 0.95) == 95
    assert stats.percentile([7.0], 0.95) == 7
    assert stats.percentile([3.0, 1.0, 2.0], 1.0) == 3
    with pytest.raises(ValueError):
        stats.percentile([], 0.5)


def test_summary_takes_median_wall_time_and_mean_cpu():
    found = stats.Summary.of([10.0, 30.0, 20.0, 1000.0], [0.0, 10.0, 0.0, 10.0], load=1.5)
    assert (found.requests, found.p50_ms, found.p95_ms, found.cpu_ms, found.load) == (4, 25.0, 1000.0, 5.0, 1.5)


def test_throughput_and_cpu_per_request():
    flow = stats.Throughput(clients=4, completed=50, seconds=10.0, cpu_seconds=2.5, load=3.0)
    assert flow.per_second == 5.0
    assert flow.cpu_ms_per_request == 50.0
    assert math.isnan(stats.Throughput(4, 0, 10.0, 1.0, 3.0).cpu_ms_per_request)


def test_ratio_has_nothing_to_compare_with_zero():
    assert stats.ratio(300, 200) == 1.5
    assert math.isnan(stats.ratio(300, 0))
    assert stats.shown(math.nan) == "—"
    assert stats.shown(1234.5, 1) == "1,234.5"


PAGE = """
<form action="/search" method="get"><input name="q" value="not this form"></form>
<form action="/operations/7/edit" method="post">
  <input type="hidden" name="csrf_token" value="tok">
  <input name="title" value="Heroin &amp; more">
  <input type="checkbox" name="share" value="y" checked>
  <input type="checkbox" name="silent" value="y">
  <input type="radio" name="kind" value="a"><input type="radio" name="kind" value="b" checked>
  <select name="unit"><option value="kg">kg</option><option value="g" selected>g</option></select>
  <select name="team"><option value="T1">one</option><option value="T2">two</option></select>
  <select name="via" multiple><option value="TJ" selected>TJ</option><option value="KZ" selected>KZ</option></select>
  <textarea name="narrative">
Line one
line two</textarea>
  <input type="submit" name="save" value="Save"><input type="file" name="photo">
  <template><input name="rows-__index__-plate" value=""></template>
</form>
"""


def test_form_fields_as_a_browser_posts_them():
    found = forms.fields(PAGE, "/edit")
    assert found == [
        ("csrf_token", "tok"),
        ("title", "Heroin & more"),
        ("share", "y"),
        ("kind", "b"),
        ("unit", "g"),
        ("team", "T1"),  # nothing selected: the first option
        ("via", "TJ"),
        ("via", "KZ"),
        ("narrative", "Line one\nline two"),
    ]
    assert ("narrative", "new") in forms.replaced(found, "narrative", "new")
    assert forms.fields(PAGE, "/nowhere") == []
    assert forms.fields('<form id="f" method="post"><input name="a" value="1"></form>', "f") == [("a", "1")]
