"""The import's check keeps the first line of each seizure_id on disk: it answers as a dict would."""

from __future__ import annotations

from ops.importer.firstlines import FirstLines


def test_a_repeated_key_answers_the_line_it_first_appeared_on():
    lines = FirstLines()
    try:
        assert lines.first_line("SZ-1", 2) == 2
        assert lines.first_line("SZ-2", 3) == 3
        assert lines.first_line("SZ-1", 9) == 2
        assert lines.first_line("SZ-1", 12) == 2  # a third time: still the first line, not the second
        assert lines.first_line("sz-1", 13) == 13  # keys are compared exactly, as the dict did
    finally:
        lines.close()
