"""Where a gunicorn worker's time goes on the article page, under load.

``python -m bench.load --profile`` (``make bench-profile``): for the page
cache off, then on, serve the benchmark's site with ``gunicorn -w 4``, load
the article with wrk and record every worker with ``py-spy record
--subprocesses`` twice: collapsed stacks (``.txt``; speedscope.app opens
them) for the summary printed here, and a flame graph (``.svg``; open it in
a browser). Files go to ``bench/results/`` (git ignores the big ones); the
summary also to ``<date>-<commit>-profile.md``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench import report, servers, wrk
from bench.dataset import Site

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
#: Where a leaf frame's file lives, checked in this order: the time spent
#: in each part of the stack (self time of its functions).
AREAS = [
    ("SQLite (the C library)", ("sqlite3/", "_sqlite3")),
    ("SQLAlchemy", ("sqlalchemy/",)),
    ("Jinja templates", ("jinja2/", "templates/", ".html")),
    ("MarkupSafe", ("markupsafe/",)),
    ("Werkzeug", ("werkzeug/",)),
    ("Flask and extensions", ("flask/", "flask_", "limits/")),
    ("WTForms", ("wtforms/",)),
    ("itsdangerous", ("itsdangerous/",)),
    ("gunicorn", ("gunicorn/",)),
    ("blog/ (this project)", ("blog/",)),
    ("Python standard library", ("python3.",)),
]
#: Frames every request passes through, left out of the inclusive table.
WRAPPERS = ("gunicorn", "Werkzeug", "Flask and extensions", "other")
MODES: tuple[tuple[str, dict[str, str]], ...] = (
    ("cache-off", {"BLOG_CACHE_PAGES": "false"}),
    ("cache-on", {}),
)


def py_spy() -> str:
    found = Path(sys.executable).parent / "py-spy"
    if found.exists():
        return str(found)
    which = shutil.which("py-spy")
    if which is None:
        raise SystemExit(
            "py-spy is missing: .venv/bin/pip install py-spy (make install-dev)"
        )
    return which


def short(path: str) -> str:
    """``blog/views/public.py`` rather than the full site-packages path."""
    for marker in ("site-packages/", "/work/main/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return path


def parse(collapsed: str) -> Counter[tuple[str, ...]]:
    """Stacks (root first, each ``function (file:line)``) and their samples;
    the process and thread frames py-spy puts first are left out."""
    stacks: Counter[tuple[str, ...]] = Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = tuple(f for f in stack.split(";") if FRAME.match(f))
        stacks[frames] += int(count)
    return stacks


def name(frame: str, with_line: bool = False) -> str:
    match = FRAME.match(frame)
    if match is None:
        return frame
    where = short(match["file"])
    if with_line and match["line"]:
        where += f":{match['line']}"
    return f"{match['function']} ({where})"


def area(frame: str) -> str:
    match = FRAME.match(frame)
    path = match["file"] if match else frame
    for label, markers in AREAS:
        if any(marker in path for marker in markers):
            return label
    return "other"


def summary(stacks: Counter[tuple[str, ...]], top: int = 25) -> str:
    """Self time by area, then the functions with the most time inclusive
    of what they call (this project's and the libraries')."""
    total = sum(stacks.values()) or 1
    areas: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, count in stacks.items():
        if not frames:
            continue
        areas[area(frames[-1])] += count
        own[name(frames[-1], with_line=True)] += count
        for frame in set(name(f) for f in frames if area(f) not in WRAPPERS):
            inclusive[frame] += count
    lines = [f"{total} samples", "", "| self time in | share |", "|---|---:|"]
    lines += [
        f"| {label} | {100 * n / total:.1f}% |" for label, n in areas.most_common()
    ]
    lines += ["", "| function (inclusive of its callees) | share |", "|---|---:|"]
    lines += [
        f"| `{frame}` | {100 * n / total:.1f}% |"
        for frame, n in inclusive.most_common(top)
    ]
    lines += ["", "| function (self time) | share |", "|---|---:|"]
    lines += [
        f"| `{frame}` | {100 * n / total:.1f}% |" for frame, n in own.most_common(15)
    ]
    return "\n".join(lines)


def blog_summary(stacks: Counter[tuple[str, ...]], top: int = 20) -> str:
    """This project's functions (and templates) by inclusive time."""
    total = sum(stacks.values()) or 1
    inclusive: Counter[str] = Counter()
    for frames, count in stacks.items():
        for frame in set(name(f) for f in frames if area(f) == "blog/ (this project)"):
            inclusive[frame] += count
        for frame in set(name(f) for f in frames if ".html" in f):
            inclusive[frame] += count
    lines = ["| blog/ function or template (inclusive) | share |", "|---|---:|"]
    lines += [
        f"| `{frame}` | {100 * n / total:.1f}% |"
        for frame, n in inclusive.most_common(top)
    ]
    return "\n".join(lines)


def record(pid: int, seconds: float, kind: str, output: Path) -> None:
    subprocess.run(
        [
            py_spy(),
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--rate",
            "100",
            "--nonblocking",  # sample without pausing the workers
            "--duration",
            str(max(int(seconds), 1)),
            "--format",
            kind,
            "--output",
            str(output),
        ],
        check=True,
        capture_output=True,
        timeout=seconds + 60,
    )


def profile(site: Site, folder: Path, seconds: float) -> None:
    """Record both modes; print and write the summaries."""
    report.RESULTS.mkdir(parents=True, exist_ok=True)
    short_commit, dirty = report.commit()
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{short_commit}-profile"
    parts = [
        f"# Profile of the article page under load, {stem}",
        "",
        f"- Commit: `{short_commit}`{' (with uncommitted changes)' if dirty else ''}",
        f"- Machine: {report.machine()}",
        "- gunicorn -w 4 (sync), wrk -t2 -c16 on the article with 50 comments, "
        "py-spy record --subprocesses --nonblocking --rate 100",
        "",
    ]
    for mode, extra in MODES:
        server = servers.Gunicorn({**site.env, **extra}, folder / f"{mode}.log")
        server.start()
        url = server.url + site.article
        try:
            wrk.run(url, 2)  # warm-up
            load = subprocess.Popen(
                ["wrk", "-t2", "-c16", f"-d{int(2 * seconds + 10)}s", "--latency", url],
                stdout=subprocess.PIPE,
                text=True,
            )
            raw = report.RESULTS / f"{stem}-{mode}.txt"
            svg = report.RESULTS / f"{stem}-{mode}.svg"
            record(server.process.pid, seconds, "raw", raw)  # type: ignore[union-attr]
            record(server.process.pid, seconds, "flamegraph", svg)  # type: ignore[union-attr]
            out, _ = load.communicate(timeout=seconds + 60)
            rate = wrk.parse(out)
        finally:
            server.stop()
        stacks = parse(raw.read_text())
        text = summary(stacks) + "\n\n" + blog_summary(stacks)
        heading = (
            f"## Page cache {mode.split('-')[1]}: {rate.rps:,.0f} req/s while "
            f"profiled (py-spy slows the workers), p50 {rate.p50:.1f} ms"
        )
        print(f"\n{heading}\n\n{text}\n\nflame graph: {svg}\nstacks: {raw}")
        parts += [heading, "", f"Files: `{svg.name}`, `{raw.name}`", "", text, ""]
    path = report.RESULTS / f"{stem}.md"
    path.write_text("\n".join(parts))
    print(f"\nwritten to {path.relative_to(report.REPOSITORY)}")
