"""Writing log lines in batches, without making request threads wait for each other.

A `logging.StreamHandler` formats and writes each record while it holds the handler's
lock. Under gunicorn's threads that lock is where they queue: the interpreter hands its
lock to another thread while one is inside, the others block on the handler's, and a
/healthz answer cost five futex calls and a fifth of its time under load for its one
request line. `BatchedStreamHandler` formats a record in the thread that logged it,
without any lock, and adds the line to a queue; the lines are written together — every
`interval` seconds (a timer thread of the process), when `max_lines` are waiting, and at
once, with everything before it, for a record of level WARNING or above.

`flush()` and `close()` (logging's exit hook) write what is waiting, so a process that
ends normally loses nothing; a killed one loses at most the last `interval` of INFO
lines, never a warning or an error.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections import deque
from typing import Any, TextIO

#: every batching handler of this process: a forked child forgets the lines its parent
#: had not written yet (the parent writes them), and starts its own timer thread (the
#: parent's does not exist in the child)
_handlers: weakref.WeakSet[BatchedStreamHandler] = weakref.WeakSet()


class BatchedStreamHandler(logging.StreamHandler):
    """A `StreamHandler` that writes its lines in batches (see the module's docstring)."""

    def __init__(
        self, stream: TextIO | None = None, *, interval: float = 0.5, max_lines: int = 200
    ) -> None:
        super().__init__(stream)
        self.interval = interval
        self.max_lines = max_lines
        #: formatted lines not written yet (deque: appends and pops need no lock)
        self._pending: deque[str] = deque()
        self._timer_started = False  # in this process
        self._stopped = threading.Event()
        _handlers.add(self)

    def handle(self, record: logging.LogRecord) -> Any:
        """Filter and emit `record` without the handler's lock (`emit` takes it only to
        write)."""
        passed = self.filter(record)
        if isinstance(passed, logging.LogRecord):  # Python 3.12: a filter may replace it
            record = passed
        if passed:
            self.emit(record)
        return passed

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._pending.append(self.format(record) + self.terminator)
        except Exception:  # logging's rule: a record that cannot be written never raises
            self.handleError(record)
            return
        if (
            record.levelno >= logging.WARNING
            or len(self._pending) >= self.max_lines
            or self._stopped.is_set()  # closed: no timer writes it any more
        ):
            self.flush()
        elif not self._timer_started:
            self._start_timer()

    def flush(self) -> None:
        """Write every line waiting, in the order they were logged."""
        with self.lock:  # one writer at a time: batches never interleave
            lines = []
            try:
                while True:
                    lines.append(self._pending.popleft())
            except IndexError:
                pass
            if not lines or self.stream is None:
                return
            try:
                self.stream.write("".join(lines))
                self.stream.flush()
            except Exception:  # as StreamHandler.emit: reported on stderr, never raised
                self.handleError(_WRITE_FAILED)

    def close(self) -> None:
        self._stopped.set()
        self.flush()
        super().close()

    def _start_timer(self) -> None:
        with self.lock:
            if self._timer_started:
                return
            self._timer_started = True
        threading.Thread(target=self._flush_every_interval, name="log-writer", daemon=True).start()

    def _flush_every_interval(self) -> None:
        while not self._stopped.wait(self.interval):
            self.flush()


def _forget_parents_lines() -> None:
    for handler in list(_handlers):
        handler._pending.clear()
        handler._timer_started = False
        if not handler._stopped.is_set():  # the parent's timer may have held its lock
            handler._stopped = threading.Event()


os.register_at_fork(after_in_child=_forget_parents_lines)

_WRITE_FAILED: Any = logging.makeLogRecord({"msg": "log lines could not be written"})
