"""Profile the uncached search API in-process: `python bench/profile_search.py INSTANCE [N]`.

INSTANCE is a bench instance folder kept with `BENCH_KEEP=1` (its `platform.db` and
`search-index`, e.g. after `BENCH_ONLY=search_varied`). Sends N (default 400) requests
built like the `search_varied` row's (never two alike) through Flask's test client under
cProfile and prints the functions that took the most time, cumulative and own.
Under real load, attach py-spy to the gunicorn worker instead:
`py-spy record -d 10 -o profile.svg --pid <worker pid>` while the row runs.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scenarios.search_data import WORDS_BY_LANG
from bench.scenarios.search_lua import VARIED_FILTERS


def varied_paths(n: int, postcodes: list[str], seed: int = 1) -> list[str]:
    """`n` request paths as the varied rows' Lua script builds them."""
    rng = random.Random(seed)
    words = [w for lang in WORDS_BY_LANG.values() for w in lang]
    paths = []
    for _ in range(n):
        parts = []
        for _w in range(rng.randint(1, 3)):
            word = rng.choice(words)
            if rng.random() < 0.15:
                i = rng.randint(1, len(word) - 1)
                word = word[:i] + rng.choice("abcdefghijklmnoprstuvwz") + word[i + 1 :]
            parts.append(word)
        args = [("lang", rng.choice(["fr", "nl", "en"])), ("q", " ".join(parts))]
        for share, name, values in VARIED_FILTERS:
            if rng.random() < share:
                args.append((name, rng.choice(values)))
        if rng.random() < 0.35:
            args += [("near", rng.choice(postcodes)), ("radius_km", rng.randint(5, 40))]
        if (page := rng.randint(1, 4)) > 1:
            args.append(("page", page))
        paths.append("/api/v1/programmes?" + urlencode(args))
    return paths


def main() -> None:
    instance = Path(sys.argv[1]).resolve()
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    os.environ.update(
        {
            "PLATFORM_ENV": "production",
            "SECRET_KEY": "profile" * 8,
            "PSEUDONYM_SECRET": "profile-pseudonyms" * 4,
            "DATABASE_URL": f"sqlite:///{instance / 'platform.db'}",
            "INSTANCE_PATH": str(instance),
            "SEARCH_INDEX_PATH": str(instance / "search-index"),
            "RATELIMIT_ENABLED": "0",
            "WORKER_THREAD": "0",
            "SEARCH_ANSWER_CACHE": os.environ.get("SEARCH_ANSWER_CACHE", "0"),
        }
    )
    from coalition import postcodes
    from coalition.app import create_app

    postcodes._load()
    codes = sorted({c for (k, c) in postcodes._by_code if k == "BE"})
    app = create_app()
    client = app.test_client()
    paths = varied_paths(n, codes)
    for path in paths[:20]:  # warm-up
        client.get(path)
    profiler = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    profiler.disable()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{n} requests in {took:.2f} s: {took / n * 1000:.1f} ms each, "
        f"{cpu / n * 1000:.1f} ms of CPU (with cProfile; on a shared machine, CPU is the figure)"
    )
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
