"""A live session and everything it leaves behind: turns, corrections, words, pronunciation notes,
summaries, usage, report; the learner's running totals and level per language; and the learning loop's
deck: cards scheduled by FSRS, their reviews, the cards a spoken review drills, and placements.

Every table keeps the name it was given while this app was labelled "tutor" (`Meta.db_table`): renaming
tables buys nothing, and `manage.py migrate` relabels an old database's migration history
(practice/management/commands/migrate.py)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lessons.models import BCP47, Level, Provider
from tutor.tools import CORRECTION_CATEGORIES


def runs_on(provider: str, model: str) -> str:
    """A tutor service as a teacher reads it ("Gemini Live · gemini-3.8-live", "Offline tutor")."""
    try:
        label = str(Provider(provider).label)
    except ValueError:
        return provider
    return f"{label} · {model}" if model and provider != Provider.OFFLINE else label


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
    COMPLETED = "completed", _("Lesson completed")  # the tutor ended it after its closing line


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
    # When it was asked for: a summary asked for long ago and not written was lost with its worker (the sweep,
    # practice/services/recovery.py, asks again).
    summary_requested_at = models.DateTimeField(null=True, blank=True)
    # Which server process hosts the live session (its channel-layer name) and how many times one took it: kept
    # here, where a Redis restart cannot erase it; a runner whose epoch is no longer this one is fenced off
    # (practice/services/hosting.py).
    host_channel = models.CharField(max_length=200, blank=True)
    host_epoch = models.PositiveIntegerField(default=0)
    objectives_met = models.JSONField(default=list, blank=True)
    # When the ended session's cards were made (and a spoken review's ratings given): each happens once.
    deck_updated_at = models.DateTimeField(null=True, blank=True)
    # Put on the offline tutor because a monthly budget was spent (practice/budgets.py): the live page says so.
    offline_for_budget = models.BooleanField(default=False)
    # The language the student read the site in when the session started ("" before it was kept): its report is
    # written in it and its word cards ask in it (docs/context.md).
    reader_language = models.CharField(max_length=16, blank=True)
    # What the session is expected to cost at most (its time limit at the model's prices), held against the
    # monthly budgets from its start until it ends, so sessions started at once cannot all pass a budget with room
    # for one (practice/budgets.py). None: a session that costs nothing, or a model without a price.
    reserved_usd = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        db_table = "tutor_tutorsession"
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
    def written_for(self) -> str:
        """The language the session's report is written in: the one its student read the site in, or, for a
        session from before that was kept, their own."""
        return self.reader_language or self.student.reading_language

    @property
    def runs_on(self) -> str:
        return runs_on(self.provider, self.model)

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

    @property
    def practised_seconds(self) -> int:
        """The session's time as every page counts it (the dashboard, the progress page, the session page): whole
        seconds, rounded once, so sums of sessions agree to the second wherever they are shown."""
        return round(self.duration_seconds)


class Turn(models.Model):
    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="turns")
    index = models.PositiveIntegerField()
    role = models.CharField(max_length=8, choices=Speaker)
    text = models.TextField(blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    audio_ms = models.PositiveIntegerField(default=0)
    interrupted = models.BooleanField(default=False)
    # What produced the turn (the session's provider may change mid-way: failover, docs/architecture.md).
    provider = models.CharField(max_length=16, choices=Provider, blank=True)
    model = models.CharField(max_length=100, blank=True)

    class Meta:
        db_table = "tutor_turn"
        ordering = ["session", "index"]
        constraints = [models.UniqueConstraint(fields=["session", "index"], name="turn_unique_index")]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.index} {self.role}"

    @property
    def runs_on(self) -> str:
        return runs_on(self.provider, self.model)


class Correction(models.Model):
    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="corrections")
    turn_index = models.PositiveIntegerField(null=True, blank=True)
    original = models.TextField()
    corrected = models.TextField()
    explanation = models.TextField(blank=True)
    category = models.CharField(max_length=16, choices=CorrectionCategory, default=CorrectionCategory.OTHER)
    rule = models.TextField(blank=True)  # the rule broken, one named line a mistake, in the student's language
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "tutor_correction"
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
        db_table = "tutor_vocabularyevent"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "status"], name="vocabulary_session_idx")]

    def __str__(self) -> str:
        return f"{self.word} ({self.status})"


class PronunciationNote(models.Model):
    """A word the student said unclearly; `estimate` when the offline tutor's recognizer guessed it."""

    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="pronunciation_notes")
    turn_index = models.PositiveIntegerField(null=True, blank=True)
    word = models.CharField(max_length=120)
    heard_as = models.CharField(max_length=200, blank=True)
    tip = models.TextField(blank=True)
    estimate = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "tutor_pronunciationnote"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "turn_index"], name="pronunciation_session_idx")]

    def __str__(self) -> str:
        return f"{self.word} (heard as {self.heard_as})"


class ContextSummary(models.Model):
    """What the turns up to `through_turn` said, in few tokens; never summarised again."""

    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="summaries")
    through_turn = models.PositiveIntegerField()
    text = models.TextField()
    language = models.CharField(max_length=16, blank=True)  # what `text` is written in ("" before it was kept)
    tokens = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "tutor_contextsummary"
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
    examples: tuple[dict, ...]  # {"original", "corrected", "explanation", "rule"} ("rule" since it was kept)


class ReportFallback(models.TextChoices):
    """Why a report was written without the text model (practice/services/writing.py names the same three)."""

    NONE = "", _("none")
    UNUSABLE = "unusable", _("the text model's answer could not be used")
    UNAVAILABLE = "unavailable", _("the text model stayed unavailable")
    REFUSED = "refused", _("the text model refused the request")


class SessionReport(models.Model):
    session = models.OneToOneField(TutorSession, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(max_length=8, choices=ReportStatus, default=ReportStatus.PENDING)
    language = models.CharField(max_length=16, blank=True)  # what its words are written in ("" before it was kept)
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
    # Written without the text model although the provider has one, and why (the page says so): its answer could
    # not be used, it stayed unavailable past the retries, or it refused the call.
    fallback = models.CharField(max_length=12, choices=ReportFallback, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "tutor_sessionreport"

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


class ReportVersion(models.Model):
    """A report's words (summary, strengths, weak points) written again in another reader's language, when that
    reader asks for it (practice/services/reports.py); what the report counts is the same in every language."""

    report = models.ForeignKey(SessionReport, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(max_length=16)
    status = models.CharField(max_length=8, choices=ReportStatus, default=ReportStatus.PENDING)
    summary = models.TextField(blank=True)
    strengths = models.JSONField(default=list, blank=True)
    weak_points = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "language"], name="report_version_unique_language")]

    def __str__(self) -> str:
        return f"Report of session {self.report.session_id} in {self.language} ({self.status})"


# What each usage row paid for (UsageRecord.purpose), as a teacher reads it, in the order the review lists them.
USAGE_PURPOSES = {
    "live": _("Conversation"),
    "transcription": _("Transcription of the student's speech"),
    "summary": _("Summary of older turns"),
    "report": _("Report"),
    "lesson_draft": _("Lesson translations drafted"),
}


class UsageRecord(models.Model):
    # None: a call made for the site rather than a session (a lesson's translations drafted for its teacher), counted
    # in the site's spend.
    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="usage", null=True, blank=True)
    provider = models.CharField(max_length=16)
    model = models.CharField(max_length=80, blank=True)
    purpose = models.CharField(max_length=16, default="live")  # a key of USAGE_PURPOSES
    text_in_tokens = models.PositiveIntegerField(default=0)
    audio_in_tokens = models.PositiveIntegerField(default=0)
    image_in_tokens = models.PositiveIntegerField(default=0)
    cached_in_tokens = models.PositiveIntegerField(default=0)
    text_out_tokens = models.PositiveIntegerField(default=0)
    audio_out_tokens = models.PositiveIntegerField(default=0)
    total_tokens = models.PositiveIntegerField(default=0)
    # Seconds of audio, for a model billed by the minute (OpenAI's transcribers): its own row, priced per minute.
    audio_seconds = models.FloatField(default=0)
    # None: the model has no known price (a manage.py check warns of it); never stored as 0, which reads as free.
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "tutor_usagerecord"
        indexes = [
            models.Index(fields=["session", "created_at"], name="usage_session_idx"),
            models.Index(fields=["created_at"], name="usage_created_idx"),  # a month's spend
        ]

    def __str__(self) -> str:
        return f"{self.model}: {self.total_tokens} tokens, ${self.cost_usd if self.cost_usd is not None else '?'}"


class SessionComment(models.Model):
    """A teacher's note on a session, shown to the student with the session."""

    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "tutor_sessioncomment"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on session {self.session_id}"


class LevelSource(models.TextChoices):
    PLACEMENT = "placement", _("Placement")
    TEACHER = "teacher", _("Set by a teacher")
    STUDENT = "student", _("Accepted by the student")


class LearnerProgress(models.Model):
    """Running totals for one student in one language, updated as each session ends; and the student's level
    in it (from a placement, a teacher, or a suggestion the student accepted)."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress")
    language = models.CharField(max_length=16, validators=[BCP47])
    seconds_practised = models.PositiveIntegerField(default=0)
    sessions_count = models.PositiveIntegerField(default=0)
    words_learned = models.PositiveIntegerField(default=0)
    corrections_count = models.PositiveIntegerField(default=0)
    streak_days = models.PositiveIntegerField(default=0)
    last_practised_on = models.DateField(null=True, blank=True)
    level = models.CharField(max_length=2, choices=Level.choices, blank=True)
    level_source = models.CharField(max_length=12, choices=LevelSource, blank=True)
    level_set_at = models.DateTimeField(null=True, blank=True)
    level_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Made by the lessons app before the move to this layout: the table keeps its name.
        db_table = "lessons_learnerprogress"
        constraints = [models.UniqueConstraint(fields=["student", "language"], name="progress_unique_language")]

    def __str__(self) -> str:
        return f"{self.student} ({self.language})"


# ---- the learning loop: the deck --------------------------------------------------------------------


class CardKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    WORD = "word", _("Word")
    PRONUNCIATION = "pronunciation", _("Pronunciation")


class CardState(models.IntegerChoices):
    """fsrs.State's values."""

    LEARNING = 1, _("Learning")
    REVIEW = 2, _("Review")
    RELEARNING = 3, _("Relearning")


class Rating(models.IntegerChoices):
    """fsrs.Rating's values."""

    AGAIN = 1, _("Again")
    HARD = 2, _("Hard")
    GOOD = 3, _("Good")
    EASY = 4, _("Easy")


class ReviewMode(models.TextChoices):
    PAGE = "page", _("On the review page")
    VOICE = "voice", _("By voice with the tutor")


class Card(models.Model):
    """One thing to remember, made from a session: `front` is the cue (the mistake as said, the word's
    translation, the word to say), `back` the answer in the target language. The scheduling fields are
    fsrs.Card's; `key` de-duplicates (one card per thing, however often it comes up)."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards")
    language = models.CharField(max_length=16, validators=[BCP47])
    kind = models.CharField(max_length=16, choices=CardKind)
    key = models.CharField(max_length=300)
    front = models.TextField()
    back = models.TextField()
    note = models.TextField(blank=True)
    estimate = models.BooleanField(default=False)  # a pronunciation card from a recognizer's guess
    # A word card's cue in every language its lesson gives, [[language, text], …], the lesson's own first: the
    # card asks in whichever its student reads (`front` is the cue it was last asked with).
    cues = models.JSONField(default=list, blank=True)
    source_session = models.ForeignKey(
        TutorSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards_made"
    )
    occurrences = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.PositiveSmallIntegerField(choices=CardState, default=CardState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "tutor_card"
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["student", "kind", "key"], name="card_unique_key")]
        indexes = [
            models.Index(fields=["student", "due"], name="card_student_due_idx"),
            models.Index(fields=["student", "language"], name="card_student_language_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.back}"

    @property
    def is_new(self) -> bool:
        return self.last_review is None


class CardAudio(models.Model):
    """The card's answer spoken by eSpeak NG, as MP3: made once, with the card, for the page and for Anki."""

    card = models.OneToOneField(Card, on_delete=models.CASCADE, primary_key=True, related_name="audio")
    text = models.TextField()  # what was spoken: a changed answer gets new audio
    mp3 = models.BinaryField()

    class Meta:
        db_table = "tutor_cardaudio"

    def __str__(self) -> str:
        return f"Audio of card {self.card_id}"


class CardReview(models.Model):
    """One review of a card: the review log FSRS can re-optimize the schedule from (card, rating, time,
    duration), and the card's state before and after."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=Rating)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    mode = models.CharField(max_length=8, choices=ReviewMode, default=ReviewMode.PAGE)
    session = models.ForeignKey(TutorSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state_before = models.PositiveSmallIntegerField(choices=CardState)
    state_after = models.PositiveSmallIntegerField(choices=CardState)
    stability_after = models.FloatField()
    difficulty_after = models.FloatField()
    due_after = models.DateTimeField()

    class Meta:
        db_table = "tutor_cardreview"
        ordering = ["reviewed_at", "id"]
        indexes = [models.Index(fields=["card", "reviewed_at"], name="review_card_time_idx")]

    def __str__(self) -> str:
        return f"{self.card_id} rated {self.rating} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class DrillCard(models.Model):
    """A card a spoken review session drills, in the order the tutor asks them."""

    session = models.ForeignKey(TutorSession, on_delete=models.CASCADE, related_name="drill_cards")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "tutor_drillcard"
        ordering = ["session", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="drill_card_unique_position")]

    def __str__(self) -> str:
        return f"Card {self.card_id} in session {self.session_id} at {self.position}"


class PlacementResult(models.Model):
    """A placement a student took: the level it gave and how each band went ({band: [right, asked]})."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placements")
    language = models.CharField(max_length=16, validators=[BCP47])
    level = models.CharField(max_length=2, choices=Level.choices)
    bands = models.JSONField(default=dict)
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "tutor_placementresult"
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"{self.student} {self.language} {self.level}"


class ErasedSpend(models.Model):
    """What the sessions of erased students cost, kept as anonymous totals per class and month (classroom None:
    the whole site), so a month's and a class's costs and budgets stay right after an erasure (docs/privacy.md)."""

    classroom = models.ForeignKey(
        "lessons.Classroom", null=True, blank=True, on_delete=models.CASCADE, related_name="erased_spend"
    )
    month = models.DateField()  # the first day of the month the usage was recorded in (site time zone)
    cost_usd = models.DecimalField(max_digits=14, decimal_places=6, default=0)
    unpriced = models.PositiveIntegerField(default=0)  # usage rows that had no known price

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "month"], name="erased_spend_unique_class_month"),
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(classroom__isnull=True), name="erased_spend_unique_site_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Erased spend {self.month:%Y-%m} ({self.classroom_id or 'site'}): ${self.cost_usd}"
