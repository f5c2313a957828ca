"""A live session and everything it leaves behind: turns, corrections, words, summaries, usage, report;
and the learner's running totals per language."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lessons.models import BCP47, Provider
from tutor.tools import CORRECTION_CATEGORIES


class SessionStatus(models.TextChoices):
    CREATED = "created", _("Created")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")
    FAILED = "failed", _("Failed")


UNFINISHED = (SessionStatus.CREATED, SessionStatus.LIVE)
FINISHED = (SessionStatus.ENDED, SessionStatus.FAILED)


class EndReason(models.TextChoices):
    STUDENT = "student", _("Ended by the student")
    TIME_LIMIT = "time_limit", _("Time limit reached")
    IDLE = "idle", _("No activity")
    DISCONNECTED = "disconnected", _("Browser disconnected")
    PROVIDER_ERROR = "provider_error", _("Tutor service failed")


class Speaker(models.TextChoices):
    STUDENT = "student", _("Student")
    TUTOR = "tutor", _("Tutor")


# The kinds of correction are the tutor's (its note_correction tool offers them); here they get labels.
CORRECTION_LABELS = {
    "grammar": _("Grammar"),
    "vocabulary": _("Vocabulary"),
    "pronunciation": _("Pronunciation"),
    "spelling": _("Spelling"),
    "word_order": _("Word order"),
    "register": _("Register"),
    "other": _("Other"),
}
CorrectionCategory = models.TextChoices(
    "CorrectionCategory", [(value.upper(), (value, CORRECTION_LABELS[value])) for value in CORRECTION_CATEGORIES]
)


class VocabularyStatus(models.TextChoices):
    USED = "used", _("Used")
    LEARNED = "learned", _("Learned")


class TutorSession(models.Model):
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutor_sessions")
    lesson = models.ForeignKey("lessons.Lesson", on_delete=models.PROTECT, related_name="sessions")
    provider = models.CharField(max_length=16)
    model = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=16, choices=SessionStatus, default=SessionStatus.CREATED)
    end_reason = models.CharField(max_length=24, choices=EndReason, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Gemini's latest resumption handle: any server process can resume the provider session with it.
    resumption_handle = models.TextField(blank=True)
    context_tokens = models.PositiveIntegerField(default=0)
    # The newest turn a summary was asked for: the budget check dispatches each summary once.
    summary_requested_through = models.IntegerField(default=-1)
    objectives_met = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["student", "-created_at"], name="session_student_recent_idx"),
            models.Index(fields=["lesson", "-created_at"], name="session_lesson_recent_idx"),
            models.Index(fields=["status"], name="session_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=SessionStatus.values), name="session_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} ({self.student_id}, lesson {self.lesson_id})"

    @property
    def runs_on(self) -> str:
        """The tutor service as a teacher reads it ("Gemini Live · gemini-3.8-live", "Offline tutor")."""
        try:
            label = str(Provider(self.provider).label)
        except ValueError:
            return self.provider
        return f"{label} · {self.model}" if self.model and self.provider != Provider.OFFLINE else label

    @property
    def outcome(self) -> str:
        """How the session stands or ended, in one phrase: the end reason says more than "Ended"."""
        return self.get_end_reason_display() if self.end_reason else self.get_status_display()

    @property
    def duration_seconds(self) -> float:
        if not self.started_at:
            return 0.0
        end = self.ended_at or self.started_at
        return max(0.0, (end - self.started_at).total_seconds())


class Turn(models.Model):
    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="turns")
    index = models.PositiveIntegerField()
    role = models.CharField(max_length=8, choices=Speaker)
    text = models.TextField(blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    audio_ms = models.PositiveIntegerField(default=0)
    interrupted = models.BooleanField(default=False)

    class Meta:
        ordering = ["session", "index"]
        constraints = [models.UniqueConstraint(fields=["session", "index"], name="turn_unique_index")]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.index} {self.role}"


class Correction(models.Model):
    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="corrections")
    turn_index = models.PositiveIntegerField(null=True, blank=True)
    original = models.TextField()
    corrected = models.TextField()
    explanation = models.TextField(blank=True)
    category = models.CharField(max_length=16, choices=CorrectionCategory, default=CorrectionCategory.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["session", "turn_index"], name="correction_session_idx"),
            models.Index(fields=["category"], name="correction_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.original} → {self.corrected}"


class VocabularyEvent(models.Model):
    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="vocabulary_events")
    turn_index = models.PositiveIntegerField(null=True, blank=True)
    word = models.CharField(max_length=120)
    status = models.CharField(max_length=8, choices=VocabularyStatus)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "status"], name="vocabulary_session_idx")]

    def __str__(self) -> str:
        return f"{self.word} ({self.status})"


class ContextSummary(models.Model):
    """What the turns up to `through_turn` said, in few tokens; never summarised again."""

    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="summaries")
    through_turn = models.PositiveIntegerField()
    text = models.TextField()
    tokens = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "through_turn"]
        constraints = [models.UniqueConstraint(fields=["session", "through_turn"], name="summary_unique_through_turn")]

    def __str__(self) -> str:
        return f"Summary of session {self.session_id} through turn {self.through_turn}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be written")
    RUNNING = "running", _("Being written")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


@dataclass(frozen=True)
class CorrectionKind:
    category: str
    label: str
    count: int
    examples: tuple[dict, ...]  # {"original", "corrected", "explanation"}


class SessionReport(models.Model):
    session = models.OneToOneField(TutorSession, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(max_length=8, choices=ReportStatus, default=ReportStatus.PENDING)
    summary = models.TextField(blank=True)
    strengths = models.JSONField(default=list, blank=True)
    corrections_by_category = models.JSONField(default=dict, blank=True)
    vocabulary_used = models.JSONField(default=list, blank=True)
    vocabulary_learned = models.JSONField(default=list, blank=True)
    objectives_met = models.JSONField(default=list, blank=True)
    weak_points = models.JSONField(default=list, blank=True)
    suggested_lesson = models.ForeignKey(
        "lessons.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Report of session {self.session_id} ({self.status})"

    @property
    def correction_kinds(self) -> list[CorrectionKind]:
        """`corrections_by_category` ({category: {"count", "examples"}}) as rows, most frequent first."""
        labels = dict(CorrectionCategory.choices)
        kinds = [
            CorrectionKind(category, str(labels.get(category, category)), int(data.get("count", 0)),
                           tuple(data.get("examples", ())))
            for category, data in (self.corrections_by_category or {}).items()
        ]  # fmt: skip
        return sorted(kinds, key=lambda kind: (-kind.count, kind.label))


# What each usage row paid for (UsageRecord.purpose), as a teacher reads it.
USAGE_PURPOSES = {"live": _("Conversation"), "summary": _("Summary of older turns"), "report": _("Report")}


class UsageRecord(models.Model):
    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="usage")
    provider = models.CharField(max_length=16)
    model = models.CharField(max_length=80, blank=True)
    purpose = models.CharField(max_length=16, default="live")  # live, summary, report
    text_in_tokens = models.PositiveIntegerField(default=0)
    audio_in_tokens = models.PositiveIntegerField(default=0)
    image_in_tokens = models.PositiveIntegerField(default=0)
    cached_in_tokens = models.PositiveIntegerField(default=0)
    text_out_tokens = models.PositiveIntegerField(default=0)
    audio_out_tokens = models.PositiveIntegerField(default=0)
    total_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["session", "created_at"], name="usage_session_idx")]

    def __str__(self) -> str:
        return f"{self.model}: {self.total_tokens} tokens, ${self.cost_usd}"

    @property
    def purpose_label(self) -> str:
        return str(USAGE_PURPOSES.get(self.purpose, self.purpose))


class SessionComment(models.Model):
    """A teacher's note on a session, shown to the student with the session."""

    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on session {self.session_id}"


class LearnerProgress(models.Model):
    """Running totals for one student in one language, updated as each session ends."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress")
    language = models.CharField(max_length=16, validators=[BCP47])
    seconds_practised = models.PositiveIntegerField(default=0)
    sessions_count = models.PositiveIntegerField(default=0)
    words_learned = models.PositiveIntegerField(default=0)
    corrections_count = models.PositiveIntegerField(default=0)
    streak_days = models.PositiveIntegerField(default=0)
    last_practised_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Made by the lessons app before the move to this layout: the table keeps its name.
        db_table = "lessons_learnerprogress"
        constraints = [models.UniqueConstraint(fields=["student", "language"], name="progress_unique_language")]

    def __str__(self) -> str:
        return f"{self.student} ({self.language})"
