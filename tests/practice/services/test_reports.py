import json

import pytest

from lessons.services.lessons import lesson_create
from lessons.spec import TextTranslation
from practice.models import ReportFallback, SessionReport, TutorSession, UsageRecord
from practice.selectors.live import learner_profile_for, lesson_brief_for
from practice.services import reports, writing
from practice.services.reports import report_write_task
from practice.services.sessions import session_create, session_end
from practice.services.writing import MAX_RETRIES, UNUSABLE_RETRIES
from practice.writers import REPORT_SCHEMA
from tests.conftest import lesson_spec
from tests.fakes.text_model import ScriptedTextModel
from tutor.brief import RestoredContext
from tutor.persona import build_instructions
from tutor.providers.text import TextModelError

from ..factories import RULE, recorded_session


@pytest.fixture
def session(student, lesson):
    return recorded_session(student, lesson)


@pytest.fixture
def next_lesson(teacher):
    return lesson_create(spec=lesson_spec(title="At the bakery", level="A2"), author=teacher)


def test_ending_a_session_builds_its_report_from_the_transcript(
    session, next_lesson, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session_end(session_id=session.pk, reason="student")
    report = SessionReport.objects.get(session=session)
    assert report.status == "ready"
    assert report.corrections_by_category == {
        "grammar": {"count": 1, "examples": [
            {"original": "Je voudrait", "corrected": "Je voudrais", "explanation": "first person: -s", "rule": RULE}]}
    }  # fmt: skip
    assert report.vocabulary_used == ["un café", "l'addition"] and report.vocabulary_learned == ["l'addition"]
    assert report.objectives_met == ["Order a drink"]
    assert report.suggested_lesson == next_lesson
    # Ana's own language is Spanish: the report is written in it, whatever the lesson's language.
    assert report.summary.startswith("4 respuestas en 6 min con Camille; 1 de 2 objetivos cumplidos; 1 corrección.")
    assert "Logrado: Order a drink" in report.strengths
    # Each correction with the rule it broke (issue 24, defect 9).
    assert report.weak_points == [f"Gramática: «Je voudrait» → «Je voudrais» ({RULE})"]


def test_building_twice_changes_nothing(session):
    first = reports.report_write(session_id=session.pk)
    second = reports.report_write(session_id=session.pk)
    assert first.pk == second.pk and second.status == "ready" and SessionReport.objects.count() == 1


def test_a_text_model_writes_the_narrative_and_its_cost_is_recorded(session, monkeypatch):
    answer = {"summary": "A confident café visit.", "strengths": ["Polite requests"], "weak_points": ["-ais endings"]}
    model = ScriptedTextModel(["Here you are:\n```json\n" + json.dumps(answer) + "\n```"])
    monkeypatch.setattr(writing, "text_model", lambda config, provider: model)
    report = reports.report_write(session_id=session.pk)
    assert (report.summary, report.strengths, report.weak_points) == (
        "A confident café visit.", ["Polite requests"], ["-ais endings"])  # fmt: skip
    assert "Je voudrait un café" in model.prompts[0][1]
    assert model.schemas == [REPORT_SCHEMA]  # asked through the service's structured output
    assert f"«Je voudrait» → «Je voudrais» (grammar: {RULE})" in model.prompts[0][1]  # the model is given the rule
    assert UsageRecord.objects.get().purpose == "report"
    assert report.fallback == ""


def test_a_model_that_never_answers_properly_still_gives_a_report_that_says_it_fell_back(session, monkeypatch):
    """Two calls (one retry of an unusable answer), both billed, both recorded; then the report is written without
    the model and says why."""
    model = ScriptedTextModel(["no json here"])
    monkeypatch.setattr(writing, "text_model", lambda config, provider: model)
    monkeypatch.setitem(report_write_task.app.conf, "task_eager_propagates", False)
    report_write_task.delay(session.pk)
    report = SessionReport.objects.get(session=session)
    assert report.status == "ready" and report.summary.startswith("4 respuestas")
    assert report.fallback == ReportFallback.UNUSABLE
    rows = list(UsageRecord.objects.filter(purpose="report"))
    assert len(model.prompts) == len(rows) == 1 + UNUSABLE_RETRIES
    assert all(row.model == "scripted-text" and row.total_tokens > 0 for row in rows)


def test_a_busy_model_is_retried_a_bounded_number_of_times_and_each_call_it_billed_is_recorded(session, monkeypatch):
    busy = TextModelError("503 overloaded", retryable=True)  # not billed: nothing to record
    model = ScriptedTextModel([busy])
    monkeypatch.setattr(writing, "text_model", lambda config, provider: model)
    monkeypatch.setitem(report_write_task.app.conf, "task_eager_propagates", False)
    report_write_task.delay(session.pk)
    report = SessionReport.objects.get(session=session)
    assert len(model.prompts) == 1 + MAX_RETRIES and report.fallback == ReportFallback.UNAVAILABLE
    assert not UsageRecord.objects.exists()


def test_an_unexpected_failure_marks_the_report_failed(session, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(reports, "conversation_of", explode)
    monkeypatch.setitem(report_write_task.app.conf, "task_eager_propagates", False)
    report_write_task.delay(session.pk)
    report = SessionReport.objects.get(session=session)
    assert report.status == "failed" and "database on fire" in report.error


def test_a_report_that_fails_on_a_refused_request_falls_back_at_once(session, monkeypatch):
    model = ScriptedTextModel([TextModelError("API key not valid", retryable=False)])
    monkeypatch.setattr(writing, "text_model", lambda config, provider: model)
    report = reports.report_write(session_id=session.pk)
    assert report.summary.startswith("4 respuestas") and report.fallback == ReportFallback.REFUSED


def test_the_next_session_remembers_weak_points_and_words(session, student, lesson):
    session_end(session_id=session.pk, reason="student")
    reports.report_write(session_id=session.pk)
    following = session_create(student=student, lesson=lesson)
    learner = learner_profile_for(student=student, language="fr-FR", before_session_id=following.pk)
    assert learner.weak_points == (f"Gramática: «Je voudrait» → «Je voudrais» ({RULE})",)
    assert learner.words_learned == ("l'addition",) and learner.sessions_before == 1
    instructions = build_instructions(lesson_brief_for(lesson=lesson), learner, RestoredContext())
    assert "they often struggle with Gramática: «Je voudrait» → «Je voudrais»" in instructions
    assert "Words they have learned: l'addition" in instructions


def test_memory_is_bounded_in_size(student, lesson):
    from tutor.brief import LearnerProfile

    learner = LearnerProfile(name="Ana", weak_points=tuple(f"point {i} " * 10 for i in range(50)))
    instructions = build_instructions(lesson_brief_for(lesson=lesson), learner, RestoredContext(), max_memory_chars=300)
    memory = next(part for part in instructions.split("\n\n") if part.startswith("From Ana's earlier sessions"))
    assert len(memory) <= 300 and memory.endswith("…")


def test_a_report_is_written_in_the_language_its_student_read_the_site_in_with_the_lessons_text_in_it(student, teacher):
    """Issue 24, defect 7: Ana's own language is Spanish, but she read the site in German."""
    spec = lesson_spec(
        translations={"de": TextTranslation(title="Café in Lyon (de)", objectives=("Getränk", "Zahlen"))}
    )
    lesson = lesson_create(spec=spec, author=teacher)
    session = recorded_session(student, lesson)
    TutorSession.objects.filter(pk=session.pk).update(reader_language="de")
    report = reports.report_write(session_id=session.pk)
    assert report.language == "de"
    assert report.summary.startswith("4 Antworten in ") and "mit Camille" in report.summary
    assert "Erreicht: Getränk" in report.strengths
    assert report.objectives_met == ["Order a drink"]  # the objective's own wording stays its key


def test_a_version_in_another_readers_language_is_written_once_on_demand(session, django_capture_on_commit_callbacks):
    report = reports.report_write(session_id=session.pk)
    assert report.language == "es"
    with django_capture_on_commit_callbacks(execute=True):
        version = reports.report_version_request(session_id=session.pk, language="fr")
    version.refresh_from_db()
    assert (version.language, version.status) == ("fr", "ready")
    assert version.summary.startswith("4 réponses en ") and "avec Camille" in version.summary
    assert reports.report_version_request(session_id=session.pk, language="es") is None  # its own language
    assert reports.report_version_request(session_id=session.pk, language="xx") is None  # no site language
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reports.report_version_request(session_id=session.pk, language="fr")
    assert callbacks == []  # written already: not again
