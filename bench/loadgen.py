"""A small HTTP load generator, for machines without wrk (bench/run.py says which one ran).

    python bench/loadgen.py URL REQUESTS.tsv EXPECTED_STATUS --duration 6 --connections 8

Same input and output as bench/requests.lua: one request per line (METHOD, PATH, COOKIE, BODY,
tab-separated), dealt out to the connections; prints "BENCH {json}". One thread per connection,
with keep-alive where the server allows it. It shares the machine's cores with the server
(and the GIL with itself), so it saturates the server less than wrk does: compare numbers
from one tool only.
"""

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit


def parse(line: str) -> tuple[str, str, dict, bytes | None]:
    method, path, cookie, body = [*line.split("\t"), "", "", ""][:4]
    headers = {"Cookie": cookie} if cookie else {}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return method, path, headers, body.encode()
    return method, path, headers, None


def worker(host, port, requests, expected, stop_at, out, lock) -> None:
    latencies, unexpected, errors, wrapped, index = [], 0, 0, 0, 0
    conn = None
    while time.perf_counter() < stop_at:
        if index >= len(requests):
            index, wrapped = 0, wrapped + 1
        method, path, headers, body = requests[index]
        index += 1
        start = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != expected:
                unexpected += 1
            if response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            errors += 1
            conn = None
            continue
        latencies.append(time.perf_counter() - start)
    with lock:
        out["latencies"] += latencies
        out["unexpected"] += unexpected
        out["errors"] += errors
        out["wrapped"] += wrapped


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(url: str, file: str, expected: int, duration: float, connections: int) -> dict:
    target = urlsplit(url)
    with open(file, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line]
    parsed = [parse(line) for line in lines]
    out = {"latencies": [], "unexpected": 0, "errors": 0, "wrapped": 0}
    lock = threading.Lock()
    start = time.perf_counter()
    stop_at = start + duration
    threads = []
    for n in range(connections):
        mine = parsed[n::connections] or parsed[:1]
        args = (target.hostname, target.port, mine, expected, stop_at, out, lock)
        threads.append(threading.Thread(target=worker, args=args))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    lat = out["latencies"]
    return {
        "requests": len(lat),
        "duration_us": int(elapsed * 1e6),
        "p50_us": int(percentile(lat, 50) * 1e6),
        "p90_us": int(percentile(lat, 90) * 1e6),
        "p99_us": int(percentile(lat, 99) * 1e6),
        "errors": out["errors"],
        "unexpected": out["unexpected"],
        "wrapped": out["wrapped"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("file")
    parser.add_argument("expected", type=int)
    parser.add_argument("--duration", type=float, default=6)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    result = run(args.url, args.file, args.expected, args.duration, args.connections)
    print("BENCH " + json.dumps(result))


if __name__ == "__main__":
    main()
