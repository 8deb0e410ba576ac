"""Running ``wrk --latency`` and reading its report."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
PERCENTILE = re.compile(r"^\s*(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
TOTAL = re.compile(r"^\s*(\d+) requests in", re.M)
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)


@dataclass(frozen=True)
class Run:
    """One wrk run: requests per second and latency percentiles (ms)."""

    rps: float
    p50: float
    p75: float
    p90: float
    p99: float
    requests: int
    errors: int  # non-2xx/3xx answers, socket errors and timeouts


def parse(report: str) -> Run:
    """The figures of a ``wrk --latency`` report.

    :raises ValueError: the report lacks the latency distribution or rate.
    """
    percentiles = {
        int(p): float(value) * UNITS[unit]
        for p, value, unit in PERCENTILE.findall(report)
    }
    rate, total = RATE.search(report), TOTAL.search(report)
    if rate is None or total is None or len(percentiles) < 4:
        raise ValueError(f"not a wrk --latency report:\n{report}")
    errors = sum(int(n) for n in NON_2XX.findall(report))
    for found in SOCKET.findall(report):
        errors += sum(int(n) for n in found)
    return Run(
        rps=float(rate.group(1)),
        p50=percentiles[50],
        p75=percentiles[75],
        p90=percentiles[90],
        p99=percentiles[99],
        requests=int(total.group(1)),
        errors=errors,
    )


def run(
    url: str,
    seconds: float,
    *,
    threads: int = 2,
    connections: int = 16,
    timeout: str = "10s",
) -> Run:
    """``wrk -t<threads> -c<connections> --timeout <timeout> --latency``."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(int(round(seconds)), 1)}s",
        "--timeout",
        timeout,
        "--latency",
        url,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return parse(done.stdout)
