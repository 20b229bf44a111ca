"""Time (and optionally profile) pages in-process, without a server or a load generator.

    python bench/profile.py ACTORS.json [--pages results,plan] [-n 200] [--profile PAGE]

ACTORS.json is what ``bench/prepare.py actors`` writes. Each page is requested through the
WSGI application exactly as gunicorn would call it (after a few warm-up requests) and the
mean milliseconds per request are printed; ``--profile PAGE`` prints a pyinstrument profile
of that page (``pip install pyinstrument``). Use the same environment as the benchmark
(DJANGO_SETTINGS_MODULE=bench.settings, DEBUG=0, a SECRET_KEY and a seeded database).
"""

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()


def environ(path: str, cookie: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }


def request(path: str, cookie: str) -> str:
    status = []
    body = application(environ(path, cookie), lambda s, h, *a: status.append(s))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return status[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("actors")
    parser.add_argument("--pages", default="")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    pages = json.loads(Path(args.actors).read_text())["pages"]
    chosen = args.pages.split(",") if args.pages else list(pages)
    for name in chosen:
        spec = pages[name]
        for _ in range(5):
            status = request(spec["path"], spec["cookie"])
        if not status.startswith("200"):
            sys.exit(f"{name}: {spec['path']} answered {status}")
        n = max(3, args.n // 50) if name == "team" else args.n
        started = time.perf_counter()
        for _ in range(n):
            request(spec["path"], spec["cookie"])
        took = (time.perf_counter() - started) / n * 1000
        print(f"{name:<14} {took:7.2f} ms")
    if args.profile:
        from pyinstrument import Profiler

        spec = pages[args.profile]
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(max(3, args.n // 50) if args.profile == "team" else args.n):
                request(spec["path"], spec["cookie"])
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
