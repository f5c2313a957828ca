"""The journal keeps what was submitted and not yet written, in order, through a torn last record; a live
process's file is never replayed by another; a replay cut short goes on where it stopped."""

import fcntl

import pytest

from live.journal import HEADER, JournalFile, SessionJournal, pending, replay_orphans


def _journal(tmp_path, *entries) -> tuple[JournalFile, list[int]]:
    journal = JournalFile(tmp_path)
    session = SessionJournal(journal, 7)
    return journal, [session.append("save_turn", (entry,), {}) for entry in entries]


def test_what_was_not_marked_done_is_pending_in_order_and_a_torn_record_is_ignored(tmp_path):
    journal, numbers = _journal(tmp_path, "a", "b", "c")
    journal.done(numbers[1])
    with journal.path.open("ab") as torn:
        torn.write(HEADER.pack(500) + b"half a record")  # killed mid-append
    assert [entry for _number, entry in pending(journal.path)] == [
        (7, "save_turn", ("a",), {}),
        (7, "save_turn", ("c",), {}),
    ]


def test_a_live_process_file_is_not_replayed_and_a_dead_ones_is_then_removed(tmp_path):
    journal, _numbers = _journal(tmp_path, "a")
    applied: list[tuple] = []
    assert replay_orphans(tmp_path, applied.append) == 0  # its process holds the lock
    fcntl.flock(journal._file, fcntl.LOCK_UN)  # as the death of its process does
    assert replay_orphans(tmp_path, applied.append) == 1
    assert applied == [(7, "save_turn", ("a",), {})] and not list(tmp_path.glob("journal-*.log"))


def test_a_replay_cut_short_goes_on_from_where_it_stopped(tmp_path):
    journal, _numbers = _journal(tmp_path, "a", "b")
    path = journal.path
    journal._file.close()  # the process died
    applied: list[tuple] = []

    def fails_on_b(entry: tuple) -> None:
        if entry[2] == ("b",):
            raise ConnectionError("the database went away again")
        applied.append(entry)

    with pytest.raises(ConnectionError):
        replay_orphans(tmp_path, fails_on_b, attempts=1)
    assert [entry for _n, entry in pending(path)] == [(7, "save_turn", ("b",), {})]
    assert replay_orphans(tmp_path, applied.append) == 1
    assert [entry[2] for entry in applied] == [("a",), ("b",)]


def test_a_stopped_process_with_nothing_pending_leaves_no_file(tmp_path):
    journal, numbers = _journal(tmp_path, "a")
    journal.done(numbers[0])
    journal.close()
    assert not list(tmp_path.glob("journal-*.log"))
