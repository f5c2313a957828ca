"""The session report, written by Celery when a session ends: strengths, corrections by category,
vocabulary used and learned, objectives met, a suggested next lesson. Its weak points and words feed
the learner's memory in later sessions (practice/selectors/live.py, learner_profile_for)."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from django.db.models import Count

from lessons.selectors.lessons import next_lesson_for
from tutor.events import TokenUsage

from ..models import ReportStatus, SessionReport, TutorSession
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
    SessionReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING)
    session = TutorSession.objects.select_related("lesson", "student").get(pk=session_id)
    conversation = conversation_of(session)
    outcome = _narrative(session_id, session.provider, conversation, attempt=attempt)
    narrative = outcome.written
    with transaction.atomic():
        report = SessionReport.objects.select_for_update().get(pk=report.pk)
        report.summary = narrative.summary
        report.strengths = list(narrative.strengths)
        report.weak_points = list(narrative.weak_points)
        report.corrections_by_category = _corrections_by_category(session)
        report.vocabulary_used = list(conversation.words_used)
        report.vocabulary_learned = list(conversation.words_learned)
        report.objectives_met = list(conversation.objectives_met)
        report.suggested_lesson = next_lesson_for(student=session.student, after=session.lesson)
        report.status = ReportStatus.READY
        report.error = ""
        report.fallback = outcome.fell_back
        report.save()
    return report


def report_mark_failed(*, session_id: int, error: str) -> None:
    SessionReport.objects.filter(session_id=session_id).update(status=ReportStatus.FAILED, error=error[:500])


class _ReportTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Past its retries, the report says it failed instead of staying "being written" for ever."""
        report_mark_failed(session_id=args[0] if args else kwargs["session_id"], error=str(exc))


@shared_task(bind=True, base=_ReportTask, **RETRY)
def report_write_task(self, session_id: int) -> int:
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
    """{category: {"count": n, "examples": [{"original", "corrected", "explanation"}, …]}}, most first."""
    counts = session.corrections.values("category").annotate(n=Count("id")).order_by("-n", "category")
    result = {}
    for row in counts:
        examples = session.corrections.filter(category=row["category"]).order_by("created_at")[:EXAMPLES_PER_CATEGORY]
        result[row["category"]] = {
            "count": row["n"],
            "examples": [
                {"original": c.original, "corrected": c.corrected, "explanation": c.explanation} for c in examples
            ],
        }
    return result
