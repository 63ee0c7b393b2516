"""What each test costs in processor time: `make test-cost` loads this
plugin (pytest -p cost_plugin) on one worker and writes build/test-cost.txt,
by test file and by test, slowest first.

The time is the whole machine's busy time (Linux's /proc/stat), not this
process's: a browser, Java or Node program a test starts does its work in
processes of their own, some of which (Chromium's renderers) this process
never waits for. So the figures hold only with one test at a time, and on an
otherwise quiet machine: `make test-cost` runs without workers. They are what
a decision to keep or thin a check needs (issue 29): which checks the 2 cores
spend their time on."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

STAT = Path("/proc/stat")
REPORT = Path(__file__).resolve().parent.parent / "build" / "test-cost.txt"
TICKS = 100  # USER_HZ: /proc/stat counts hundredths of a second on Linux


@dataclass(frozen=True)
class Cost:
    test: str          # pytest's node id: tests/test_x.py::test_y[param]
    cpu: float         # processor-seconds, every process on the machine
    wall: float        # seconds

    @property
    def file(self) -> str:
        return self.test.split("::")[0]


def busy_seconds(stat: str) -> float:
    """Processor-seconds the machine has been busy since it started, from
    the first line of /proc/stat (all but idle, waiting for disks, and time
    taken by the host)."""
    fields = [int(n) for n in stat.split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq) / TICKS


def table(costs: list[Cost], top: int = 40) -> str:
    """The report: the total, each test file's sum, then the `top` dearest
    tests, slowest first, in processor-seconds."""
    by_file: dict[str, list[Cost]] = defaultdict(list)
    for c in costs:
        by_file[c.file].append(c)
    total = sum(c.cpu for c in costs)
    lines = [f"{len(costs)} tests, {total:.1f} processor-seconds in {sum(c.wall for c in costs):.1f} s, "
             "one test at a time (tests/cost_plugin.py)", "", "By file (processor-seconds, seconds, tests):"]
    for name, items in sorted(by_file.items(), key=lambda kv: -sum(c.cpu for c in kv[1])):
        lines.append(f"{sum(c.cpu for c in items):7.1f} {sum(c.wall for c in items):7.1f} {len(items):4}  {name}")
    lines += ["", f"The {min(top, len(costs))} dearest tests (processor-seconds, seconds):"]
    lines += [f"{c.cpu:7.1f} {c.wall:7.1f}  {c.test}" for c in sorted(costs, key=lambda c: -c.cpu)[:top]]
    return "\n".join(lines) + "\n"


_started: dict[str, tuple[float, float]] = {}
_costs: list[Cost] = []


def pytest_configure(config) -> None:
    if getattr(config.option, "numprocesses", None):
        raise SystemExit("The cost of each test is measured one test at a time: run it without -n (make test-cost).")


def pytest_runtest_logstart(nodeid: str, location) -> None:
    _started[nodeid] = (time.monotonic(), busy_seconds(STAT.read_text()))


def pytest_runtest_logfinish(nodeid: str, location) -> None:
    wall, cpu = _started.pop(nodeid)
    _costs.append(Cost(nodeid, busy_seconds(STAT.read_text()) - cpu, time.monotonic() - wall))


def pytest_terminal_summary(terminalreporter) -> None:
    if not _costs:
        return
    report = table(_costs)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    terminalreporter.write_sep("-", "what each test costs")
    terminalreporter.write_line(f"{report.splitlines()[0]}: {REPORT}")
