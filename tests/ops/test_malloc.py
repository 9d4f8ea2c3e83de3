"""A worker's threads share at most MALLOC_ARENA_MAX malloc arenas (gunicorn.conf.py caps
them as each worker forks): counted with glibc's own malloc_info in a process whose eight
threads all hold memory at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coalition.config import server_settings

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import ctypes, ctypes.util, sys, threading
from coalition.malloc import limit_malloc_arenas
took = limit_malloc_arenas(int(sys.argv[1]))
barrier = threading.Barrier(8)
def work():
    held = [bytes(2000) for _ in range(2000)]  # above pymalloc's size: glibc's malloc
    barrier.wait()  # every thread holds its memory at once
threads = [threading.Thread(target=work) for _ in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fopen.restype = ctypes.c_void_p
out = libc.fopen(sys.argv[2].encode(), b"w")
libc.malloc_info(0, ctypes.c_void_p(out))
libc.fclose(ctypes.c_void_p(out))
print(took, open(sys.argv[2]).read().count("<heap nr="))
"""


def arenas_used(cap: int, tmp_path: Path) -> tuple[str, int]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(cap), str(tmp_path / f"malloc-{cap}.xml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    took, heaps = result.stdout.split()
    return took, int(heaps)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_threads_share_at_most_the_capped_number_of_arenas(tmp_path):
    took, heaps = arenas_used(0, tmp_path)  # no cap: an arena per thread (up to 8 per core)
    assert took == "False" and heaps > 2
    assert arenas_used(2, tmp_path) == ("True", 2)
    assert arenas_used(1, tmp_path) == ("True", 1)


def test_the_cap_is_two_unless_malloc_arena_max_says_otherwise():
    assert server_settings({})["malloc_arena_max"] == 2
    assert server_settings({"MALLOC_ARENA_MAX": "4"})["malloc_arena_max"] == 4
    assert server_settings({"MALLOC_ARENA_MAX": "0"})["malloc_arena_max"] == 0
