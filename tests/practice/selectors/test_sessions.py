"""Reads behind the student's pages: history, one session's page, unfinished sessions."""

import datetime as dt

from django.utils import timezone

from practice.models import SessionReport
from practice.selectors import sessions as selectors
from practice.services.recording import note_record
from practice.services.sessions import session_create, session_end
from tutor.events import ObjectiveMet

from ..student_data import correction, finished_session, turn, word


def test_each_correction_goes_under_its_turn_and_the_rest_apart(student, lesson):
    session = finished_session(student, lesson, day=timezone.localdate())
    turn(session, 0, "tutor", "Bonjour ! Qu'est-ce que vous voulez boire ?")
    turn(session, 1, "student", "Je voudrait un café")
    on_turn = correction(session, 1)
    loose = correction(session, None)
    lines, others = selectors.transcript_lines(session=selectors.session_detail(session_id=session.pk))
    assert [(line.turn.index, line.corrections) for line in lines] == [(0, ()), (1, (on_turn,))]
    assert others == [loose]


def test_words_show_the_lessons_terms_with_learned_winning_over_used(student, lesson):
    session = finished_session(student, lesson, day=timezone.localdate())
    word(session, "un café", "used")
    word(session, "un café", "learned")
    word(session, "un café", "used")
    word(session, "croissant", "used")  # a word the tutor noted beyond the lesson's list
    chips = selectors.session_words(session=selectors.session_detail(session_id=session.pk))
    assert [(c.term, c.status) for c in chips] == [("un café", "learned"), ("l'addition", ""), ("croissant", "used")]
    assert chips[0].translation.text == "a coffee"


def test_objectives_are_ticked_when_met_and_extra_ones_are_kept(student, lesson):
    session = session_create(student=student, lesson=lesson)
    note_record(session_id=session.pk, note=ObjectiveMet(objective="Order a drink"))
    note_record(session_id=session.pk, note=ObjectiveMet(objective="Say goodbye"))
    session.refresh_from_db()
    items = selectors.session_objectives(session=session)
    assert [(o.text, o.met) for o in items] == [
        ("Order a drink", True),
        ("Ask for the bill", False),
        ("Say goodbye", True),
    ]


def test_unfinished_sessions_are_found_by_lesson(student, other_student, lesson):
    open_session = session_create(student=student, lesson=lesson)
    finished_session(student, lesson, day=timezone.localdate())
    session_create(student=other_student, lesson=lesson)
    assert selectors.unfinished_sessions_by_lesson(student=student) == {lesson.pk: open_session}


def test_the_history_counts_corrections_and_distinct_words_learned(student, other_student, lesson):
    older = finished_session(student, lesson, day=timezone.localdate() - dt.timedelta(days=1))
    newer = finished_session(student, lesson, day=timezone.localdate())
    correction(newer, 1)
    correction(newer, 1)
    word(newer, "un café", "learned")
    word(newer, "un café", "learned")
    word(newer, "merci", "used")
    finished_session(other_student, lesson, day=timezone.localdate())
    history = list(selectors.session_history(student=student))
    assert [s.pk for s in history] == [newer.pk, older.pk]
    assert (history[0].correction_count, history[0].learned_count) == (2, 1)


def test_the_session_page_has_no_report_until_the_session_ends(student, lesson):
    session = session_create(student=student, lesson=lesson)
    assert selectors.session_page(session_id=session.pk).report is None
    session_end(session_id=session.pk, reason="student")
    report = selectors.session_page(session_id=session.pk).report
    assert isinstance(report, SessionReport) and report.status == "pending"
