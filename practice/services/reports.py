"""The session report, written by Celery when a session ends: strengths, corrections by category,
vocabulary used and learned, objectives met, a suggested next lesson. Its weak points and words feed
the learner's memory in later sessions (practice/selectors/live.py, learner_profile_for).

It is written in the language its student read the site in (TutorSession.written_for). A reader of another
language (the student later, their teacher) may ask for its words in theirs: the same task writes a version in that
language (ReportVersion), on demand, since with a text model each costs a call."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from lessons.selectors.lessons import next_lesson_for
from lessons.texts import site_language
from tutor.events import TokenUsage

from ..models import ReportStatus, ReportVersion, SessionReport, TutorSession
from ..selectors.conversations import conversation_of
from ..writers import Conversation, Narrative, extractive_narrative, model_narrative
from .recording import usage_record
from .writing import RETRY, Outcome, write_with_text_model

EXAMPLES_PER_CATEGORY = 3


def report_write(*, session_id: int, attempt: int = 0) -> SessionReport:
    """Idempotent: a ready report is returned as it is. A retryable model failure raises TextModelBusy
    (the task retries) until the last attempt (writing.py), which writes the report without the model and says
    so (`fallback`). Every call the text model billed is a usage row (purpose "report"), written as the call
    returns, even when its answer could not be used."""
    report, _created = SessionReport.objects.get_or_create(session_id=session_id)
    if report.status == ReportStatus.READY:
        return report
    # `update` leaves auto_now alone: the time is set here, since the sweep (recovery.py) goes by it.
    SessionReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, updated_at=timezone.now())
    session = TutorSession.objects.select_related("lesson", "student").get(pk=session_id)
    conversation = conversation_of(session)
    outcome = _narrative(session_id, session.provider, conversation, attempt=attempt)
    narrative = outcome.written
    with transaction.atomic():
        report = SessionReport.objects.select_for_update().get(pk=report.pk)
        report.language = conversation.reader_language
        report.summary = narrative.summary
        report.strengths = list(narrative.strengths)
        report.weak_points = list(narrative.weak_points)
        report.corrections_by_category = _corrections_by_category(session)
        report.vocabulary_used = list(conversation.words_used)
        report.vocabulary_learned = list(conversation.words_learned)
        report.objectives_met = list(session.objectives_met)  # their own wording: the key the pages translate
        report.suggested_lesson = next_lesson_for(student=session.student, after=session.lesson)
        report.status = ReportStatus.READY
        report.error = ""
        report.fallback = outcome.fell_back
        report.save()
    return report


def report_version_request(*, session_id: int, language: str) -> ReportVersion | None:
    """A reader of `language` asks for the report's words in it: a version is written once, by the report task (after
    commit). None when there is nothing to write: no report yet, or it is in that language already."""
    language = site_language(language)
    report = SessionReport.objects.filter(session_id=session_id).first()
    if not language or report is None or report.language == language:
        return None
    version, created = ReportVersion.objects.get_or_create(report=report, language=language)
    if created or version.status == ReportStatus.FAILED:
        ReportVersion.objects.filter(pk=version.pk).update(status=ReportStatus.PENDING, error="")
        report_write_task.delay_on_commit(session_id, language)
    return version


def report_version_write(*, session_id: int, language: str, attempt: int = 0) -> ReportVersion:
    """The report's words in `language`; what it counts (corrections, words, objectives, the next lesson) is the
    report's own. Idempotent, like report_write; every call the text model billed is a usage row, as there."""
    report = report_write(session_id=session_id, attempt=attempt)
    version, _created = ReportVersion.objects.get_or_create(report=report, language=language)
    if version.status == ReportStatus.READY:
        return version
    ReportVersion.objects.filter(pk=version.pk).update(status=ReportStatus.RUNNING, updated_at=timezone.now())
    session = TutorSession.objects.select_related("lesson", "student").get(pk=session_id)
    conversation = conversation_of(session, language=language)
    narrative = _narrative(session_id, session.provider, conversation, attempt=attempt).written
    with transaction.atomic():
        version = ReportVersion.objects.select_for_update().get(pk=version.pk)
        version.summary = narrative.summary
        version.strengths = list(narrative.strengths)
        version.weak_points = list(narrative.weak_points)
        version.status = ReportStatus.READY
        version.error = ""
        version.save()
    return version


def report_mark_failed(*, session_id: int, error: str, language: str = "") -> None:
    if language:
        versions = ReportVersion.objects.filter(report__session_id=session_id, language=language)
        versions.update(status=ReportStatus.FAILED, error=error[:500])
        return
    SessionReport.objects.filter(session_id=session_id).update(status=ReportStatus.FAILED, error=error[:500])


class _ReportTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Past its retries, the report (or the version) says it failed instead of staying "being written"."""
        session_id = args[0] if args else kwargs["session_id"]
        language = args[1] if len(args) > 1 else kwargs.get("language", "")
        report_mark_failed(session_id=session_id, error=str(exc), language=language)


@shared_task(bind=True, base=_ReportTask, **RETRY)
def report_write_task(self, session_id: int, language: str = "") -> int:
    """The report; or, given a reader's `language`, its words in that language."""
    if language:
        return report_version_write(session_id=session_id, language=language, attempt=self.request.retries).pk
    return report_write(session_id=session_id, attempt=self.request.retries).pk


def _narrative(session_id: int, provider: str, conversation: Conversation, *, attempt: int) -> Outcome[Narrative]:
    if not any(turn.text for turn in conversation.turns):
        return Outcome(extractive_narrative(conversation))

    def billed(tokens: TokenUsage, model: str) -> None:
        usage_record(session_id=session_id, provider=provider, model=model, tokens=tokens, purpose="report")

    return write_with_text_model(
        provider,
        with_model=lambda model: model_narrative(model, conversation),
        without=lambda: extractive_narrative(conversation),
        attempt=attempt,
        record_usage=billed,
    )


def _corrections_by_category(session: TutorSession) -> dict:
    """{category: {"count": n, "examples": [{"original", "corrected", "explanation", "rule"}, …]}}, most first."""
    counts = session.corrections.values("category").annotate(n=Count("id")).order_by("-n", "category")
    result = {}
    for row in counts:
        examples = session.corrections.filter(category=row["category"]).order_by("created_at")[:EXAMPLES_PER_CATEGORY]
        result[row["category"]] = {
            "count": row["n"],
            "examples": [
                {"original": c.original, "corrected": c.corrected, "explanation": c.explanation, "rule": c.rule}
                for c in examples
            ],
        }
    return result
