"""The embedded engine's first generation: two processes that find no index at the same
time (the web server and the worker, started together on an empty folder) end up writing
to one generation, and every document either wrote is found."""

from __future__ import annotations

from search.backends.tantivy_backend import TantivyBackend
from tests.contract.corpus import corpus_documents


def _late(backend: TantivyBackend) -> TantivyBackend:
    """`backend` as a process that read the (still missing) pointer just before another
    process made the first generation."""
    read = backend._read_pointer
    missed = []

    def read_late() -> str | None:
        if not missed:
            missed.append(True)
            return None
        return read()

    backend._read_pointer = read_late
    return backend


def test_two_processes_finding_no_index_write_to_one_generation(tmp_path):
    first_doc, second_doc = corpus_documents()[:2]
    web, worker = TantivyBackend(str(tmp_path)), _late(TantivyBackend(str(tmp_path)))
    assert web.index([first_doc]) == {first_doc["id"]}
    assert worker.index([second_doc]) == {second_doc["id"]}
    assert worker._generation == web._generation
    assert TantivyBackend(str(tmp_path)).count() == 2
    assert len(list(tmp_path.glob("gen-*"))) == 1  # the loser's empty generation is gone


def test_a_lone_process_makes_the_first_generation_and_finds_its_documents(tmp_path):
    docs = corpus_documents()[:3]
    backend = TantivyBackend(str(tmp_path))
    assert backend.count() == 0
    backend.index(docs)
    assert (tmp_path / "CURRENT").read_text() == backend._generation
    assert TantivyBackend(str(tmp_path)).count() == 3
    assert not list(tmp_path.glob(".CURRENT-*"))
