"""The benchmark behind `make bench`: Trajectory under load, on SQLite and PostgreSQL, side by side.

For each database it builds a large organisation (``manage.py seed_scale``: a manager with
1,000 reports, 50,000 assessments), serves it with gunicorn under production settings
(DEBUG off, a generated SECRET_KEY, persistent connections, collected static files served by
whitenoise) and loads six pages with wrk (or, without wrk, bench/loadgen.py):

    signin          GET the sign-in page, anonymous: the floor every other page is compared to
    questionnaire   GET page 1 of a half-answered draft
    results         GET the latest result of a report with a long history (a trail of ten)
    plan            GET the plan of that result
    team            GET the team page of the manager with 1,000 reports
    submit          POST the review form of a complete draft (each draft submitted once)

Runs are short and interleaved (every page on both databases, then again, --rounds times),
and the table shows medians: requests per second, latency p50 / p99, throughput as a ratio to
the sign-in page in the same round, and the database queries each page runs (counted through
the test client in a separate step). Results go to bench/results/ (git-ignored).

    .venv/bin/python bench/run.py --help
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")

FLOOR = "signin"
PAGES = ("signin", "questionnaire", "results", "plan", "team", "submit")
LABELS = {
    "signin": "Sign-in page (floor)",
    "questionnaire": "Questionnaire page",
    "results": "Result page",
    "plan": "Plan page",
    "team": "Team page, {reports:,} reports",
    "submit": "Submit a questionnaire (POST)",
}
TARGETS = {"questionnaire": 0.6, "results": 0.6, "plan": 0.6, "team": 0.25, "submit": 0.3}
QUERY_BUDGET = 12
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


@dataclass
class Backend:
    key: str  # "sqlite" or "postgresql"
    name: str
    env: dict[str, str]
    work: Path
    port: int = 0
    server: subprocess.Popen | None = None
    actors: dict = field(default_factory=dict)
    queries: dict = field(default_factory=dict)
    runs: dict[str, list[dict]] = field(default_factory=dict)
    drafts_next: int = 600

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


# --- tools ----------------------------------------------------------------------------------


def find_load_tool(choice: str) -> str:
    """wrk if it is installed (installing it with apt when we can), else the Python one."""
    if choice == "python":
        return "python"
    if shutil.which("wrk"):
        return "wrk"
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        log("wrk is missing: installing it with apt-get (Debian package 'wrk')")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([apt, "install", "-y", "wrk"], check=False, **quiet)  # noqa: S603
        if not shutil.which("wrk"):
            subprocess.run([apt, "update"], check=False, **quiet)  # noqa: S603
            subprocess.run([apt, "install", "-y", "wrk"], check=False, **quiet)  # noqa: S603
    if shutil.which("wrk"):
        return "wrk"
    if choice == "wrk":
        sys.exit("wrk is not installed and could not be installed (apt-get install -y wrk).")
    log("wrk is not available: falling back to the Python load generator (bench/loadgen.py)")
    return "python"


def run_step(backend: Backend, args: list[str], name: str, check: bool = True):
    """A Django command in the backend's environment; output kept in its work folder."""
    with open(backend.work / f"{name}.log", "w") as out:
        done = subprocess.run(  # noqa: S603
            [PYTHON, *args], cwd=ROOT, env=backend.env, stdout=out, stderr=subprocess.STDOUT
        )
    if check and done.returncode != 0:
        tail = (backend.work / f"{name}.log").read_text()[-2000:]
        raise RuntimeError(f"{backend.name}: {' '.join(args)} failed:\n{tail}")
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, cookie: str = "") -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.request("GET", parts.path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


# --- databases and servers ------------------------------------------------------------------


def postgres_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def prepare_backend(backend: Backend, args) -> Backend:
    """A fresh database (unless --reuse), migrated and seeded, and who loads which page."""
    if backend.key == "postgresql":
        name = urlsplit(backend.env["DATABASE_URL"]).path.lstrip("/")
        if not args.reuse:
            postgres_admin(backend.env["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{name}"')
        with contextlib.suppress(Exception):  # already there (--reuse)
            postgres_admin(backend.env["DATABASE_URL"], f'CREATE DATABASE "{name}"')
    elif not args.reuse:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(backend.env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    run_step(backend, ["manage.py", "migrate", "--noinput", "-v0"], "migrate")
    run_step(backend, ["manage.py", "createcachetable"], "createcachetable")
    started = time.monotonic()
    seed = ["manage.py", "seed_scale", "--reports", str(args.reports)]
    done = run_step(
        backend, [*seed, "--assessments", str(args.assessments)], "seed_scale", check=False
    )
    seeded = (backend.work / "seed_scale.log").read_text()
    if done.returncode != 0 and not (args.reuse and "already exists" in seeded):
        raise RuntimeError(f"{backend.name}: seed_scale failed:\n{seeded[-2000:]}")
    took = "reused" if done.returncode else f"{time.monotonic() - started:.0f} s"
    log(f"{backend.name}: database ready ({took})")
    run_step(backend, ["bench/prepare.py", "actors", str(backend.work / "actors.json")], "actors")
    backend.actors = json.loads((backend.work / "actors.json").read_text())
    for page, spec in backend.actors["pages"].items():
        line = f"GET\t{spec['path']}\t{spec['cookie']}\t\n"
        (backend.work / f"{page}.tsv").write_text(line)
    return backend


def start_server(backend: Backend, workers: int) -> None:
    backend.port = free_port()
    out = open(backend.work / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    backend.server = subprocess.Popen(  # noqa: S603
        [GUNICORN, "config.wsgi", "--workers", str(workers), "--bind",
         f"127.0.0.1:{backend.port}", "--log-level", "warning"],
        cwd=ROOT, env=backend.env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if get(backend.url("/accounts/login/"))[0] == 200:
                return
        if backend.server.poll() is not None:
            break
        time.sleep(0.3)
    raise RuntimeError(f"{backend.name}: gunicorn did not start; see {backend.work}/gunicorn.log")


def stop_server(backend: Backend) -> None:
    if backend.server and backend.server.poll() is None:
        backend.server.terminate()
        try:
            backend.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            backend.server.kill()


def check_pages(backend: Backend) -> None:
    """Every page answers 200 to its visitor (a redirect to sign-in would be a fast lie)."""
    for page, spec in backend.actors["pages"].items():
        for _ in range(3 * 2):  # a few requests, so every worker has loaded its templates
            status, body = get(backend.url(spec["path"]), spec["cookie"])
            if status != 200:
                raise RuntimeError(f"{backend.name}: {page} {spec['path']} answered {status}")
        if page != FLOOR and b"Sign out" not in body:
            raise RuntimeError(f"{backend.name}: {page} was not served to a signed-in person")


# --- measuring ------------------------------------------------------------------------------


def load(tool: str, backend: Backend, file: Path, expected: int, duration: float, args) -> dict:
    seconds = max(1, round(duration))
    if tool == "wrk":
        command = [
            "wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s",
            "--timeout", "30s", "-s", str(BENCH / "requests.lua"), backend.url(), "--",
            str(file), str(expected), str(args.threads),
        ]  # fmt: skip
    else:
        command = [
            PYTHON, str(BENCH / "loadgen.py"), backend.url(), str(file), str(expected),
            "--duration", str(duration), "--connections", str(args.connections),
        ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"load generator failed: {done.stdout}\n{done.stderr}")
    result = json.loads(line[len("BENCH ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def submit_requests(backend: Backend) -> Path:
    """Fresh complete drafts for one submit run, more than the run can use."""
    file = backend.work / "submit.tsv"
    run_step(backend, ["bench/prepare.py", "drafts", str(backend.drafts_next), str(file)], "drafts")
    return file


def measure(tool: str, backend: Backend, page: str, args, duration: float) -> dict:
    if page == "submit":
        file, expected = submit_requests(backend), 302
    else:
        file, expected = backend.work / f"{page}.tsv", 200
    result = load(tool, backend, file, expected, duration, args)
    if page == "submit":
        # Each draft may be submitted once: size the next batch from this run's rate.
        backend.drafts_next = max(600, int(result["rps"] * args.duration * 2))
        if result["wrapped"]:
            result["note"] = "ran out of drafts: some posts hit an already submitted draft"
    return result


# --- reporting ------------------------------------------------------------------------------


def summarise(backends: list[Backend], pages: list[str]) -> dict:
    summary = {}
    for b in backends:
        floor = b.runs[FLOOR]
        rows = {}
        for page in pages:
            runs = b.runs[page]
            ratios = [r["rps"] / f["rps"] for r, f in zip(runs, floor, strict=True)]
            rows[page] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
                "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
                "ratio": statistics.median(ratios),
                "bad": sum(r["unexpected"] + r["errors"] for r in runs),
                "notes": sorted({r["note"] for r in runs if r.get("note")}),
                "queries": b.queries.get(page, {}).get("queries"),
                "html_gzip_kb": (b.queries.get(page, {}).get("html_gzip_bytes") or 0) / 1024,
            }
        summary[b.key] = rows
    return summary


def machine() -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def markdown(backends: list[Backend], summary: dict, tool: str, args) -> str:
    pages = args.page_list
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    first = backends[0].actors
    lines = [
        f"Trajectory benchmark, {when}, on {machine()}.",
        f"gunicorn {args.workers} sync workers; {tool_name(tool, args)}, {args.duration:g} s per "
        f"run, {args.rounds} interleaved rounds (medians); {first['reports']:,} reports, "
        f"{first['assessments']:,} assessments; the result and plan belong to a report "
        f"with {first['reader_results']} results.",
        "",
    ]
    head = ["Page", "Queries", "HTML gzip"]
    for b in backends:
        head += [f"{b.name} req/s", "p50 ms", "p99 ms", "× floor"]
    head.append("Target")
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for page in pages:
        rows = [summary[b.key][page] for b in backends]
        counts = sorted({str(r["queries"]) for r in rows})
        size = rows[0]["html_gzip_kb"]
        label = LABELS[page].format(reports=first["reports"])
        cells = [label, " / ".join(counts), f"{size:.1f} KB" if size else "—"]
        for r in rows:
            ratio = "1.00" if page == FLOOR else f"{r['ratio']:.2f}"
            if page in TARGETS:
                ratio += " ✓" if r["ratio"] >= TARGETS[page] else " ✗"
            cells += [f"{r['rps']:.0f}", f"{r['p50_ms']:.0f}", f"{r['p99_ms']:.0f}", ratio]
        cells.append(f"≥ {TARGETS[page]:.2f}" if page in TARGETS else "—")
        lines.append("| " + " | ".join(cells) + " |")
    notes = []
    for b in backends:
        for page in pages:
            r = summary[b.key][page]
            if r["bad"]:
                notes.append(f"{b.name} {page}: {r['bad']} unexpected responses or errors")
            notes += [f"{b.name} {page}: {n}" for n in r["notes"]]
            if r["queries"] is not None and r["queries"] > QUERY_BUDGET:
                notes.append(f"{b.name} {page}: {r['queries']} queries (budget {QUERY_BUDGET})")
    if notes:
        lines += ["", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def tool_name(tool: str, args) -> str:
    if tool == "wrk":
        return f"wrk, {args.threads} threads, {args.connections} connections"
    return f"bench/loadgen.py (Python load generator), {args.connections} connections"


# --- main -----------------------------------------------------------------------------------


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--assessments", type=int, default=50000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per run (5)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=8, help="open connections (8)")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="sqlite, postgresql or both (default)"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trajectory_bench"
        ),
        help="database to create, use and drop (BENCH_DATABASE_URL)",
    )
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help=f"pages to load, comma-separated (default: all; {FLOOR} always runs)",
    )
    parser.add_argument("--settings", default="bench.settings", help="settings module")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse databases kept by --keep (skips seeding)"
    )
    args = parser.parse_args()
    chosen = set(args.pages.split(","))
    if chosen - set(PAGES):
        parser.error(f"unknown page(s): {', '.join(sorted(chosen - set(PAGES)))}")
    args.page_list = [p for p in PAGES if p == FLOOR or p in chosen]
    return args


def make_backends(args) -> list[Backend]:
    base = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "DEBUG")
    }
    base.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="600",
        DJANGO_SETTINGS_MODULE=args.settings,
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    backends = []
    for key in args.databases.split(","):
        work = RESULTS / "work" / key
        work.mkdir(parents=True, exist_ok=True)
        if key == "sqlite":
            env = {**base, "SQLITE_PATH": str(work / "bench.sqlite3")}
            backends.append(Backend("sqlite", "SQLite", env, work))
        elif key == "postgresql":
            env = {**base, "DATABASE_URL": args.postgres_url}
            backends.append(Backend("postgresql", "PostgreSQL", env, work))
        else:
            sys.exit(f"unknown database {key!r}: use sqlite and/or postgresql")
    return backends


def cleanup(backends: list[Backend], args) -> None:
    for b in backends:
        stop_server(b)
    if args.keep:
        return
    for b in backends:
        with contextlib.suppress(Exception):
            if b.key == "postgresql":
                name = urlsplit(b.env["DATABASE_URL"]).path.lstrip("/")
                postgres_admin(b.env["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{name}"')
            else:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(b.env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)


def main() -> None:
    args = options()
    tool = find_load_tool(args.tool)
    backends = make_backends(args)
    log(f"load generator: {tool_name(tool, args)}; databases: {args.databases}")
    try:
        first = backends[0]
        run_step(first, ["manage.py", "collectstatic", "--noinput", "-v0"], "collectstatic")
        with ThreadPoolExecutor(len(backends)) as pool:
            list(pool.map(lambda b: prepare_backend(b, args), backends))
        for b in backends:
            run_step(b, ["bench/prepare.py", "queries", str(b.work / "actors.json")], "queries")
            b.queries = json.loads((b.work / "queries.log").read_text().strip().splitlines()[-1])
            start_server(b, args.workers)
            check_pages(b)
            log(f"{b.name}: gunicorn on port {b.port}; queries per page {b.queries}")
        for b in backends:  # warm-up: one short run per page
            for page in args.page_list:
                measure(tool, b, page, args, duration=1)
        for round_ in range(1, args.rounds + 1):
            for page in args.page_list:
                for b in backends:
                    result = measure(tool, b, page, args, args.duration)
                    b.runs.setdefault(page, []).append(result)
                    log(
                        f"round {round_}/{args.rounds}  {page:<13} {b.name:<10} "
                        f"{result['rps']:7.1f} req/s  p50 {result['p50_us'] / 1000:6.1f} ms  "
                        f"p99 {result['p99_us'] / 1000:6.1f} ms"
                        + (f"  {result['unexpected']} unexpected" if result["unexpected"] else "")
                    )
        summary = summarise(backends, args.page_list)
        table = markdown(backends, summary, tool, args)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        data = {
            "tool": tool,
            "options": vars(args),
            "machine": machine(),
            "summary": summary,
            "runs": {b.key: b.runs for b in backends},
            "queries": {b.key: b.queries for b in backends},
        }
        (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(data, indent=2))
        (RESULTS / f"bench-{stamp}.md").write_text(table)
        (RESULTS / "latest.md").write_text(table)
        print()
        print(table)
        log(f"written to bench/results/bench-{stamp}.md and .json")
    finally:
        cleanup(backends, args)


if __name__ == "__main__":
    main()
