"""Load benchmark, side by side: the app against nginx on the same machine.

Builds PERFORMANCE.md's data set in a fresh temporary instance (SQLite),
serves it with ``gunicorn -w 4`` (sync workers) and starts its own nginx
with a static copy of the rendered article and the app behind the page-cache
configuration of ``deploy/nginx/``. Then ``wrk -t2 -c16 --timeout 10s
--latency`` in interleaved rounds (every target warmed up first), the
comment POST without and with the local Akismet, the side-by-side table,
and the results in ``bench/results/<UTC date>-<short commit>.md``.

Run with ``make bench`` (or ``python -m bench.load --help``); ``--profile``
records where a worker's time goes instead (``bench/profiling.py``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench import dataset, posting, profiling, report, servers, wrk
from bench.report import Results, Target
from tests.akismet_server import VALID_KEY


@dataclass
class Options:
    seconds: float
    rounds: int
    warmup: float
    unloaded: float
    posts: int
    connections: int
    threads: int
    keep: bool
    write: bool


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=10, help="each wrk round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--warmup", type=float, default=3, help="seconds per target")
    parser.add_argument(
        "--unloaded", type=float, default=3, help="seconds of one connection"
    )
    parser.add_argument("--posts", type=int, default=50, help="comment POSTs a phase")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2 s rounds, 1 s warm-up, 20 POSTs, nothing written: to check the "
        "harness, not to report",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only, no bench/results/ file"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="record a worker's profile (page cache off, then on) instead",
    )
    parser.add_argument(
        "--profile-seconds", type=float, default=20, help="each profile recording"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.warmup, args.unloaded, args.posts = 2, 1, 1, 20
        args.no_write = True
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    options = Options(
        seconds=args.seconds,
        rounds=args.rounds,
        warmup=args.warmup,
        unloaded=args.unloaded,
        posts=args.posts,
        connections=args.connections,
        threads=args.threads,
        keep=args.keep,
        write=not args.no_write,
    )
    servers.ensure_tools("wrk") if args.profile else servers.ensure_tools(
        "nginx", "wrk"
    )
    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    folder.chmod(0o755)  # nginx's workers read the static copy in here
    print(f"building the site in {folder}", flush=True)
    try:
        site = dataset.build(folder)
        if args.profile:
            profiling.profile(site, folder, args.profile_seconds)
            return
        results = run(site, folder, options)
        results.load_before = load_before
        show(results, options)
    finally:
        if options.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run(site: dataset.Site, folder: Path, options: Options) -> Results:
    """Start the servers, measure, stop them (whatever happens)."""
    logs = folder / "logs"
    logs.mkdir()
    started: list[servers.Gunicorn | servers.Nginx | servers.Akismet] = []
    try:
        akismet = servers.Akismet().start()
        started.append(akismet)
        env = {
            **site.env,
            "BLOG_AKISMET_API_URL": akismet.url,
            "BLOG_AKISMET_BLOG_URL": "http://127.0.0.1",
        }
        app = servers.Gunicorn(env, logs / "app.log")
        started.append(app.start())
        uncached = servers.Gunicorn(
            {**env, "BLOG_CACHE_PAGES": "false"}, logs / "app-uncached.log"
        )
        started.append(uncached.start())
        static = folder / "static"
        copy = static / site.article.strip("/") / "index.html"
        copy.parent.mkdir(parents=True)
        copy.write_bytes(fetch(app.url + site.article)[1])
        for directory in [static, *static.rglob("*")]:
            directory.chmod(0o755 if directory.is_dir() else 0o644)
        nginx = servers.Nginx(
            folder / "nginx",
            static,
            f"127.0.0.1:{app.port}",
            Path(site.env["BLOG_INSTANCE_PATH"]) / "uploads",
        )
        started.append(nginx.start(site.article))
        targets = [
            Target("article", "article, 50 comments", "app", app.url + site.article),
            Target(
                "uncached",
                "article, 50 comments",
                "app, page cache off",
                uncached.url + site.article,
            ),
            Target(
                "cache",
                "article, 50 comments",
                "nginx page cache → app",
                nginx.proxy_url + site.article,
            ),
            Target(
                "static",
                "article, 50 comments",
                "nginx, static copy",
                nginx.static_url + site.article,
            ),
            Target("home", "home", "app", app.url + site.home),
            Target("archive", "category archive", "app", app.url + site.archive),
            Target("event", "event", "app", app.url + site.event),
        ]
        settings = (
            f"wrk -t{options.threads} -c{options.connections} --timeout 10s "
            f"--latency, {options.rounds} interleaved rounds of "
            f"{options.seconds:g} s per target after a {options.warmup:g} s "
            f"warm-up; unloaded: 1 connection for {options.unloaded:g} s; "
            f"gunicorn -w 4 (sync), SQLite, BLOG_ENV=production; "
            "nginx: deploy/nginx/blog.conf with blog-proxy-cache.conf, "
            "worker_processes auto, no access log"
        )
        results = Results(targets, settings)
        measure(targets, options)
        results.posts["without Akismet"] = post_phase(app.url, site, options, "plain")
        akismet_app = servers.Gunicorn(
            {**env, "BLOG_AKISMET_API_KEY": VALID_KEY}, logs / "app-akismet.log"
        )
        started.append(akismet_app.start())
        results.posts["with the local Akismet"] = post_phase(
            akismet_app.url, site, options, "akismet"
        )
        results.akismet_rtt = posting.akismet_round_trips(akismet.url, VALID_KEY)
        results.akismet_asked = asked_akismet(site)
        return results
    finally:
        for server in reversed(started):
            server.stop()


def fetch(url: str) -> tuple[dict[str, list[str]], bytes]:
    """GET ``url`` (it must answer 200): its headers and body."""
    with urllib.request.urlopen(url, timeout=30) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        headers: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            headers.setdefault(name.lower(), []).append(value)
        return headers, response.read()


def header_notes(url: str) -> str:
    """What a shared cache would look at: cookies, Cache-Control, validators."""
    fetch(url)
    headers, _ = fetch(url)  # the second answer (a cache is filled by now)
    notes = ["Set-Cookie" if "set-cookie" in headers else "no Set-Cookie"]
    for name in ("cache-control", "etag", "last-modified", "x-cache-status"):
        if name in headers:
            notes.append(f"{name.title()}: `{headers[name][0]}`")
    return ", ".join(notes)


def measure(targets: list[Target], options: Options) -> None:
    """Warm up every target, one unloaded run each, then interleaved rounds."""
    for target in targets:
        target.notes = header_notes(target.url)
        print(f"warming up {target.server}: {target.url}", flush=True)
        wrk.run(target.url, options.warmup, connections=options.connections)
        target.unloaded = wrk.run(
            target.url, options.unloaded, threads=1, connections=1
        )
    for n in range(options.rounds):
        for target in targets:
            result = wrk.run(
                target.url,
                options.seconds,
                threads=options.threads,
                connections=options.connections,
            )
            target.runs.append(result)
            print(
                f"round {n + 1}/{options.rounds} {target.page:<22} "
                f"{target.server:<24} {result.rps:>10,.0f} req/s  "
                f"p50 {result.p50:7.2f} ms  p99 {result.p99:7.2f} ms",
                flush=True,
            )


def post_phase(
    base: str, site: dataset.Site, options: Options, label: str
) -> posting.Posts:
    posting.post_comments(base, site.article, 10, f"{label}-warm")  # every worker
    posts = posting.post_comments(base, site.article, options.posts, label)
    print(
        f"comment POST ({label}): p50 {posts.p50:.2f} ms, p99 {posts.p99:.2f} ms, "
        f"{posts.held} held, {posts.approved} approved, "
        f"{'session CSRF field' if posts.csrf_field else 'no session CSRF field'}",
        flush=True,
    )
    return posts


def asked_akismet(site: dataset.Site) -> str:
    """How many of the Akismet phase's comments Akismet did check (ham)."""
    from blog.extensions import db
    from blog.models import Comment, SpamCheck

    app = dataset.app_for(site.env)
    with app.app_context():
        rows = db.session.execute(
            db.select(Comment.spam_check).where(
                Comment.author_email.like("bench-akismet-%")
            )
        ).scalars()
        checks = list(rows)
        db.engine.dispose()
    ham = sum(1 for c in checks if c == SpamCheck.HAM)
    return f"Akismet checked {ham} of the {len(checks)} comments of its phase (ham)."


def show(results: Results, options: Options) -> None:
    print()
    print(report.table(results))
    print()
    print(report.post_table(results))
    print()
    print("\n".join(report.targets(results)))
    if options.write:
        path = report.write(results)
        print(f"\nwritten to {path.relative_to(report.REPOSITORY)}")


if __name__ == "__main__":
    main()
