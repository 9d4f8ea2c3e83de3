"""How many malloc arenas a web worker's threads share.

glibc gives each thread that allocates while another holds the lock an arena of its own,
up to eight per core; a gthread worker's request threads and the search engine's threads
so keep several partly empty arenas each (about 15 MB of a worker's resident memory at
100,000 programmes). gunicorn.conf.py caps them in each worker as it forks, before its
threads start (`MALLOC_ARENA_MAX`, default 2): the variable of that name only works when
set before the server starts, and a container's environment is not the only way to start
one. Allocation is what the engine and the answers do, not their locking, so two arenas
cost no measurable speed (bench/README.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util

#: mallopt's parameter for the most arenas (glibc's malloc.h)
M_ARENA_MAX = -8


def limit_malloc_arenas(arenas: int) -> bool:
    """Let this process's threads share at most `arenas` arenas from now on; True when the
    C library took it (glibc), False elsewhere (musl, macOS) or for `arenas` 0 (no cap)."""
    if arenas <= 0:
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        libc = None
    mallopt = getattr(libc, "mallopt", None)
    return bool(mallopt and mallopt(M_ARENA_MAX, arenas) == 1)
