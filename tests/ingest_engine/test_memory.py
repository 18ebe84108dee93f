"""Transparent huge pages are off for the process while a file is ingested, and back as they were after."""

import sys
import threading

import pytest

from concord.ingest.engine import memory, run
from concord.ingest.engine.memory import huge_pages_disabled, no_huge_pages
from concord.ingest.engine.synthetic import write_canonical_csv
from concord.lake.store import Lake

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")


@pytest.fixture(autouse=True)
def _restore():
    before = huge_pages_disabled()
    yield
    memory._PRCTL(memory._PR_SET_THP_DISABLE, int(before), 0, 0, 0)


def _set(disabled: bool) -> None:
    memory._PRCTL(memory._PR_SET_THP_DISABLE, int(disabled), 0, 0, 0)


def test_the_block_turns_them_off_and_puts_them_back():
    _set(False)
    with no_huge_pages():
        assert huge_pages_disabled() is True
    assert huge_pages_disabled() is False


def test_a_process_that_had_them_off_keeps_them_off():
    _set(True)
    with no_huge_pages():
        assert huge_pages_disabled() is True
    assert huge_pages_disabled() is True


def test_overlapping_runs_on_two_threads_turn_them_back_on_only_when_the_last_ends():
    _set(False)
    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def first():
        with no_huge_pages():
            first_in.set()
            second_done.wait(5)
            seen.append(huge_pages_disabled())  # the second run ended first: still off for this one

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with no_huge_pages():
        assert huge_pages_disabled() is True
    second_done.set()
    thread.join(5)
    assert seen == [True]
    assert huge_pages_disabled() is False


def test_an_ingest_runs_with_them_off_and_restores_them_even_when_it_fails(tmp_path, monkeypatch):
    _set(False)
    path = tmp_path / "in.csv"
    write_canonical_csv(path, 200)
    during = []
    map_batch = run.map_batch

    def spy(*args, **kwargs):
        during.append(huge_pages_disabled())
        return map_batch(*args, **kwargs)

    monkeypatch.setattr(run, "map_batch", spy)
    assert ingest(path, tmp_path).accepted == 200
    assert during and set(during) == {True}
    assert huge_pages_disabled() is False

    def boom(*args, **kwargs):
        raise RuntimeError("the mapping broke")

    monkeypatch.setattr(run, "map_batch", boom)
    with pytest.raises(RuntimeError):
        ingest(path, tmp_path)
    assert huge_pages_disabled() is False


def ingest(path, tmp_path):
    return run.ingest_file(path, "canonical-csv", Lake(tmp_path / "lake"))
