"""Turn bookkeeping: what a cut reply keeps, and where a late student transcript goes."""

import pytest

from tutor.events import TranscriptUpdate
from tutor.session.turns import TurnTracker, heard_text

LINE = "Je vous apporte un café et un croissant tout de suite."
TUTOR_100_MS = b"\x00\x00" * 2400
STUDENT_100_MS = b"\x00\x00" * 1600


@pytest.mark.parametrize(
    ("played_ms", "heard"),
    [
        (1, ""),  # not one word
        (100, "Je vous"),  # 5.4 of 54 characters: nearer the end of "vous" (7) than of "Je" (2)
        (500, "Je vous apporte un café et"),
        (999, "Je vous apporte un café et un croissant tout de suite."),
        (1000, LINE),
        (5000, LINE),
    ],
)
def test_what_was_heard_is_the_played_share_of_the_line_cut_at_the_nearest_end_of_a_word(played_ms, heard):
    assert heard_text(LINE, played_ms, 1000) == heard


def test_a_line_without_audio_is_kept_whole():
    assert heard_text(LINE, 0, 0) == LINE


def test_a_tutor_turn_cut_while_open_keeps_what_was_heard_when_it_finishes():
    turns = TurnTracker()
    for _ in range(10):
        turns.tutor_audio(TUTOR_100_MS)
    turns.tutor_delta(LINE)
    turns.interrupted()
    assert turns.heard(0, 500) is None  # still open: cut when it ends
    update, finished = turns.tutor_complete()
    assert (finished.text, finished.audio_ms, finished.interrupted) == ("Je vous apporte un café et", 500, True)
    assert update == TranscriptUpdate("tutor", 0, "Je vous apporte un café et", final=True)
    assert turns.heard(0, 500) is None  # the same report again changes nothing
    assert turns.heard(7, 100) is None  # nor one about a turn that is not the last


def test_a_student_turn_stops_counting_audio_once_the_tutor_answers_it():
    turns = TurnTracker()
    turns.speech_started()
    turns.student_audio(STUDENT_100_MS)
    turns.tutor_audio(TUTOR_100_MS)  # the answer began; the transcript has not come yet
    turns.student_audio(STUDENT_100_MS)
    turns.student_delta("Un café")
    _, student = turns.student_final("Un café")
    assert (student.index, student.audio_ms) == (0, 100)
    turns.speech_started()  # a barge-in: a newer turn than the tutor's, so its audio counts
    turns.student_audio(STUDENT_100_MS)
    _, barged = turns.student_final("Attendez")
    assert (barged.index, barged.audio_ms) == (2, 100)
