"""make test-cost's report (tests/cost_plugin.py): the machine's busy time
read right, and the sums and order of the table."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cost_plugin import Cost, busy_seconds, pytest_configure, table

# /proc/stat's first line: user nice system idle iowait irq softirq steal guest guest_nice
STAT = "cpu  1000 50 250 90000 400 10 40 300 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"


def test_busy_time_leaves_out_idle_waiting_and_the_hosts_time():
    assert busy_seconds(STAT) == pytest.approx((1000 + 50 + 250 + 10 + 40) / 100)


def test_the_table_sums_each_file_and_puts_the_dearest_first():
    costs = [Cost("tests/test_a.py::test_one", 1.0, 2.0), Cost("tests/test_b.py::test_two", 5.0, 4.0),
             Cost("tests/test_a.py::test_three", 3.0, 1.0)]
    lines = table(costs, top=2).splitlines()
    assert lines[0].startswith("3 tests, 9.0 processor-seconds in 7.0 s")
    files = lines[lines.index("By file (processor-seconds, seconds, tests):") + 1:][:2]
    assert files == ["    5.0     4.0    1  tests/test_b.py", "    4.0     3.0    2  tests/test_a.py"]
    dearest = lines[lines.index("The 2 dearest tests (processor-seconds, seconds):") + 1:]
    assert dearest == ["    5.0     4.0  tests/test_b.py::test_two", "    3.0     1.0  tests/test_a.py::test_three"]


def test_it_refuses_to_measure_with_workers():
    """Beside another worker, the machine's busy time is both tests' time."""
    with pytest.raises(SystemExit, match="without -n"):
        pytest_configure(SimpleNamespace(option=SimpleNamespace(numprocesses=2)))
    pytest_configure(SimpleNamespace(option=SimpleNamespace(numprocesses=None)))
