"""The side-by-side table, the targets, and the results file
(``bench/results/<UTC date>-<short commit>.md``)."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.posting import Posts
from bench.wrk import Run

REPOSITORY = Path(__file__).resolve().parent.parent
RESULTS = REPOSITORY / "bench" / "results"

#: The issue's targets on the 2-core machine (16 connections, 4 workers).
ARTICLE_RPS, ARTICLE_P99_MS = 1000.0, 50.0
CACHE_SHARE = 0.5
POST_P50_MS = 10.0


@dataclass
class Target:
    """One page as one server gives it, and what wrk measured of it."""

    key: str
    page: str
    server: str
    url: str
    runs: list[Run] = field(default_factory=list)
    unloaded: Run | None = None
    notes: str = ""  # headers worth knowing (Set-Cookie, Cache-Control, ...)

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.runs)

    @property
    def p50(self) -> float:
        return statistics.median(r.p50 for r in self.runs)

    @property
    def p99(self) -> float:
        return statistics.median(r.p99 for r in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)


@dataclass
class Results:
    targets: list[Target]
    settings: str  # how wrk ran, and what served
    posts: dict[str, Posts] = field(default_factory=dict)
    akismet_rtt: list[float] = field(default_factory=list)
    akismet_asked: str = ""
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def by_key(self, key: str) -> Target | None:
        return next((t for t in self.targets if t.key == key), None)


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(results: Results) -> str:
    static = results.by_key("static")
    lines = [
        "| page | served by | req/s (median) | req/s range | p50 ms | p99 ms "
        "| unloaded p50 ms | % of nginx static | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in results.targets:
        if not t.runs:
            continue
        share = f"{100 * t.rps / static.rps:.1f}%" if static and static.runs else "—"
        low, high = min(r.rps for r in t.runs), max(r.rps for r in t.runs)
        unloaded = _fmt(t.unloaded.p50) if t.unloaded else "—"
        lines.append(
            f"| {t.page} | {t.server} | {_fmt(t.rps)} | {_fmt(low)}–{_fmt(high)} "
            f"| {_fmt(t.p50)} | {_fmt(t.p99)} | {unloaded} | {share} | {t.errors} |"
        )
    return "\n".join(lines)


def post_table(results: Results) -> str:
    if not results.posts:
        return ""
    lines = [
        "| comment POST (new reader: held for moderation) | p50 ms | p99 ms "
        "| posts | held |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, posts in results.posts.items():
        lines.append(
            f"| {label} | {_fmt(posts.p50)} | {_fmt(posts.p99)} "
            f"| {len(posts.timings)} | {posts.held} |"
        )
    if results.akismet_rtt:
        rtt = results.akismet_rtt
        lines.append(
            f"| the app's Akismet call alone (round trip) | "
            f"{_fmt(statistics.median(rtt))} | "
            f"{_fmt(sorted(rtt)[int(len(rtt) * 0.99) - 1])} | {len(rtt)} | — |"
        )
    return "\n".join(lines)


def _verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def targets(results: Results) -> list[str]:
    """The issue's targets, each with the figure it was judged on."""
    found = []
    app, cache, static = (results.by_key(k) for k in ("article", "cache", "static"))
    if app and app.runs:
        ok = app.rps >= ARTICLE_RPS and app.p99 < ARTICLE_P99_MS
        found.append(
            f"- Article with 50 comments, served by the app: {_fmt(app.rps)} req/s, "
            f"p99 {_fmt(app.p99)} ms (target ≥ {ARTICLE_RPS:,.0f} req/s and "
            f"p99 < {ARTICLE_P99_MS:.0f} ms): {_verdict(ok)}"
        )
    if cache and static and cache.runs and static.runs:
        share = cache.rps / static.rps
        found.append(
            f"- nginx page cache in front: {100 * share:.1f}% of nginx serving the "
            f"static copy (target ≥ {100 * CACHE_SHARE:.0f}%): "
            f"{_verdict(share >= CACHE_SHARE)}"
        )
    plain = results.posts.get("without Akismet")
    if plain:
        found.append(
            f"- Comment POST p50 without Akismet: {_fmt(plain.p50)} ms "
            f"(target < {POST_P50_MS:.0f} ms): {_verdict(plain.p50 < POST_P50_MS)}"
        )
    checked = results.posts.get("with the local Akismet")
    if checked and results.akismet_rtt:
        rtt = statistics.median(results.akismet_rtt)
        own = checked.p50 - rtt
        found.append(
            f"- Comment POST p50 with Akismet: {_fmt(checked.p50)} ms = "
            f"{_fmt(own)} ms + the {_fmt(rtt)} ms Akismet round trip "
            f"(target < {POST_P50_MS:.0f} ms + round trip): "
            f"{_verdict(own < POST_P50_MS)}"
        )
    return found


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    system = platform.platform(terse=True)
    release = Path("/etc/os-release")
    if release.is_file():
        for line in release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = line.split("=", 1)[1].strip('"')
    return f"{os.cpu_count()} cores, {model}{memory}, {system}"


def commit() -> tuple[str, bool]:
    """The short commit, and whether the working tree has changes."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=REPOSITORY, capture_output=True, text=True
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    return git("rev-parse", "--short", "HEAD") or "nocommit", bool(
        git("status", "--porcelain", "--untracked-files=no")
    )


def tool_versions() -> str:
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    first = (wrk.stdout or wrk.stderr).splitlines()[:1]
    return (
        f"{nginx.stderr.strip().replace('nginx version: ', '')}, "
        f"{first[0].split(' [')[0] if first else 'wrk'}, "
        f"Python {platform.python_version()}"
    )


def markdown(results: Results) -> str:
    short, dirty = commit()
    when = results.started.strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"# Load benchmark, {when}",
        "",
        f"- Commit: `{short}`{' (with uncommitted changes)' if dirty else ''}",
        f"- Machine: {machine()}",
        f"- Tools: {tool_versions()}",
        "- Load average before the run: "
        + ", ".join(f"{x:.2f}" for x in results.load_before),
        f"- {results.settings}",
        "",
        table(results),
        "",
    ]
    posts = post_table(results)
    if posts:
        parts += [posts, ""]
        if results.akismet_asked:
            parts += [results.akismet_asked, ""]
    parts += ["## Targets", "", *targets(results), ""]
    notes = [f"- {t.page}, {t.server}: {t.notes}" for t in results.targets if t.notes]
    if notes:
        parts += ["## Response headers seen", "", *notes, ""]
    return "\n".join(parts)


def write(results: Results) -> Path:
    """``bench/results/<UTC date>-<short commit>.md`` (``-2``... when taken)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    short, _ = commit()
    stem = f"{results.started:%Y-%m-%d}-{short}"
    path = RESULTS / f"{stem}.md"
    n = 2
    while path.exists():
        path, n = RESULTS / f"{stem}-{n}.md", n + 1
    path.write_text(markdown(results))
    return path
