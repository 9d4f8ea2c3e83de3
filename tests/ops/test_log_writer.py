"""Log lines written in batches (`coalition.observability.log_writer`): INFO lines wait at
most the interval, a warning is written at once after the lines before it, no line is lost
or torn when threads log together, a stopping process writes what it holds, and a forked
child does not write its parent's lines again."""

from __future__ import annotations

import io
import logging
import os
import threading
import time

import pytest

from coalition.config import load_config
from coalition.observability import logs, write_each_line_at_once
from coalition.observability.log_writer import BatchedStreamHandler


@pytest.fixture
def logger():
    """A logger of its own, not propagating to the root's handlers."""
    made = logging.getLogger("tests.log_writer")
    made.propagate = False
    made.setLevel(logging.INFO)
    yield made
    for handler in list(made.handlers):
        made.removeHandler(handler)
        handler.close()


def attach(logger: logging.Logger, stream, **options) -> BatchedStreamHandler:
    handler = BatchedStreamHandler(stream, **options)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    return handler


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_info_lines_wait_and_a_warning_goes_at_once_after_them(logger):
    stream = io.StringIO()
    attach(logger, stream, interval=60)
    logger.info("first")
    logger.info("second")
    assert stream.getvalue() == ""  # not written by the threads that logged them
    logger.warning("third")
    assert stream.getvalue() == "INFO first\nINFO second\nWARNING third\n"


def test_waiting_lines_are_written_within_the_interval(logger):
    stream = io.StringIO()
    attach(logger, stream, interval=0.2)
    logger.info("soon")
    assert wait_for(lambda: stream.getvalue() == "INFO soon\n", seconds=5)


def test_a_full_batch_is_written_without_waiting(logger):
    stream = io.StringIO()
    attach(logger, stream, interval=60, max_lines=10)
    for n in range(9):
        logger.info("line %d", n)
    assert stream.getvalue() == ""
    logger.info("line 9")
    assert stream.getvalue().splitlines() == [f"INFO line {n}" for n in range(10)]


def test_threads_logging_together_lose_and_tear_no_line(logger):
    stream = io.StringIO()
    handler = attach(logger, stream, interval=0.001, max_lines=7)
    per_thread, threads = 2000, 8

    def write(t: int) -> None:
        for n in range(per_thread):
            logger.info("thread %d line %d", t, n)

    workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    handler.flush()
    lines = stream.getvalue().splitlines()
    assert sorted(lines) == sorted(
        f"INFO thread {t} line {n}" for t in range(threads) for n in range(per_thread)
    )
    for t in range(threads):  # each thread's lines in the order it wrote them
        mine = [line for line in lines if line.startswith(f"INFO thread {t} ")]
        assert mine == [f"INFO thread {t} line {n}" for n in range(per_thread)]


def test_closing_writes_what_is_waiting(logger):
    stream = io.StringIO()
    handler = attach(logger, stream, interval=60)
    logger.info("last words")
    assert stream.getvalue() == ""
    handler.close()  # what logging.shutdown does at exit
    assert stream.getvalue() == "INFO last words\n"
    logger.info("after the close")  # a thread still logging: no timer is left to write it
    assert stream.getvalue() == "INFO last words\nINFO after the close\n"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_child_does_not_write_its_parents_lines_again(logger, tmp_path):
    path = tmp_path / "lines.log"
    with path.open("a", encoding="utf-8") as stream:
        handler = attach(logger, stream, interval=60)
        logger.info("before the fork")
        pid = os.fork()
        if pid == 0:  # the child: its own line only, then out without atexit hooks
            try:
                logger.info("from the child")
                handler.flush()
            finally:
                os._exit(0)
        deadline = time.monotonic() + 10
        while (ended := os.waitpid(pid, os.WNOHANG)) == (0, 0):
            assert time.monotonic() < deadline, "the child did not end"
            time.sleep(0.02)
        assert os.waitstatus_to_exitcode(ended[1]) == 0
        handler.flush()
    assert sorted(path.read_text(encoding="utf-8").splitlines()) == [
        "INFO before the fork",
        "INFO from the child",
    ]


@pytest.fixture
def root_logging():
    """The root logger's handlers and the levels `configure_logging` sets, as they were."""
    root = logging.getLogger()
    names = (None, *logs.QUIET_BELOW_INFO, *logs.QUIET_AT_INFO)
    levels = {name: logging.getLogger(name).level for name in names}
    before = list(root.handlers)
    yield root
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_a_served_platform_batches_and_development_writes_each_line(root_logging):
    root = root_logging
    logs.configure_logging("text", "INFO", batch_seconds=0.5)
    [handler] = [h for h in root.handlers if h.get_name() == "platform"]
    assert isinstance(handler, BatchedStreamHandler) and handler.interval == 0.5
    logs.configure_logging("text", "INFO", batch_seconds=0)
    [handler] = [h for h in root.handlers if h.get_name() == "platform"]
    assert not isinstance(handler, BatchedStreamHandler)
    assert load_config({"PLATFORM_ENV": "production"})["LOG_BATCH_SECONDS"] == 0.5
    assert load_config({"PLATFORM_ENV": "development"})["LOG_BATCH_SECONDS"] == 0
    assert (
        load_config({"PLATFORM_ENV": "production", "LOG_BATCH_SECONDS": "0"})["LOG_BATCH_SECONDS"]
        == 0
    )


def test_the_worker_writes_each_line_at_once(root_logging, app):
    # `flask worker` is ended by SIGTERM (a container's stop), which runs no exit hook
    logs.configure_logging("text", "INFO", batch_seconds=0.5)
    write_each_line_at_once(app)
    [handler] = [h for h in root_logging.handlers if h.get_name() == "platform"]
    assert not isinstance(handler, BatchedStreamHandler)
