"""Lessons with their vocabulary and offline dialogue; classrooms, enrollments and assignments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .lifecycle import shut_down_error

BCP47 = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    _("Use a BCP-47 language code such as fr, es-MX or ja-JP."),
)


class Level(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class CorrectionStyle(models.TextChoices):
    RECAST = "recast", _("Recast: repeat it correctly and carry on")
    IMMEDIATE = "immediate", _("Immediate: stop and explain each mistake")
    MINIMAL = "minimal", _("Minimal: only mistakes that block understanding")


class Pace(models.TextChoices):
    SLOW = "slow", _("Slow")
    NATURAL = "natural", _("Natural")
    FAST = "fast", _("Fast")


class Patience(models.TextChoices):
    """How long the tutor waits for a learner who pauses (tutor/patience.py has the numbers)."""

    BY_LEVEL = "", _("By the lesson's level")
    PATIENT = "patient", _("Patient: long pauses to find a word (A1)")
    RELAXED = "relaxed", _("Relaxed (A2)")
    BALANCED = "balanced", _("Balanced (B1-B2)")
    BRISK = "brisk", _("Brisk: a conversation at speed (C1-C2)")


class Provider(models.TextChoices):
    DEFAULT = "", _("Site default")
    GEMINI = "gemini", "Gemini Live"
    OPENAI = "openai", "OpenAI Realtime"
    OFFLINE = "offline", _("Offline tutor")


class Purpose(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    # A spoken review of a student's deck: made by practice, never listed, assigned or edited.
    REVIEW = "review", _("Spoken review")


class Lesson(models.Model):
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=16, validators=[BCP47], help_text=_("BCP-47 code, e.g. fr-FR"))
    level = models.CharField(max_length=2, choices=Level.choices)
    scenario = models.TextField(help_text=_("The situation the student and the tutor play."))
    # What the student reads before starting, in the second person; the scenario above briefs the tutor.
    student_scenario = models.TextField(blank=True)
    objectives = models.JSONField(default=list, blank=True, help_text=_("What the student should manage."))
    # The language the lesson's own text is written in (title, scenarios, objectives, word translations): what a
    # reader whose language has no translation reads, marked as such (lessons/texts.py).
    text_language = models.CharField(max_length=16, default="en", validators=[BCP47])
    # That text in other languages, for readers of them: {"es": {"title", "scenario", "student_scenario",
    # "objectives": [one per objective, in order]}}; the objectives' own wording stays their key.
    translations = models.JSONField(default=dict, blank=True)
    persona_name = models.CharField(max_length=80)
    persona_temperament = models.CharField(max_length=200, default="warm and patient")
    correction_style = models.CharField(max_length=16, choices=CorrectionStyle, default=CorrectionStyle.RECAST)
    pace = models.CharField(max_length=16, choices=Pace, default=Pace.NATURAL)
    provider = models.CharField(max_length=16, choices=Provider, default=Provider.DEFAULT, blank=True)
    voice = models.CharField(max_length=64, blank=True, help_text=_("Blank: the provider's default voice."))
    model = models.CharField(max_length=80, blank=True, help_text=_("Blank: the provider's default live model."))
    max_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    patience = models.CharField(max_length=16, choices=Patience, default=Patience.BY_LEVEL, blank=True)
    published = models.BooleanField(default=False)
    purpose = models.CharField(max_length=8, choices=Purpose, default=Purpose.LESSON)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "level", "title"]
        indexes = [
            models.Index(fields=["published", "language", "level"], name="lesson_catalog_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=Level.values), name="lesson_level_valid"),
            models.CheckConstraint(
                condition=models.Q(max_minutes__gte=1, max_minutes__lte=120), name="lesson_max_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language}, {self.level})"

    def clean(self) -> None:
        """A voice or a model belongs to one provider: checked here so forms, files and the admin all refuse a
        bad one (the session would fail on it)."""
        super().clean()
        errors = {}
        catalog = settings.TUTOR.catalog
        if self.voice and not self.provider:
            errors["voice"] = _("Choose a provider before choosing a voice: the site default may change.")
        elif self.voice and not catalog.is_voice_of(self.provider, self.voice):
            errors["voice"] = _("%(voice)s is not a voice of %(provider)s. Choose one of: %(voices)s.") % {
                "voice": self.voice, "provider": self.get_provider_display(),
                "voices": ", ".join(catalog.voices(self.provider)),
            }  # fmt: skip
        if self.model and not self.provider:
            errors["model"] = _("Choose a provider before choosing a model: the site default may change.")
        elif self.model and self.model not in catalog.live_models(self.provider):
            errors["model"] = _("%(model)s is not a live model of %(provider)s. Choose one of: %(models)s.") % {
                "model": self.model, "provider": self.get_provider_display(),
                "models": ", ".join(catalog.offered_live_models(self.provider)),
            }  # fmt: skip
        elif self.model and (shut_down := shut_down_error(self.model)):
            errors["model"] = shut_down
        if errors:
            raise ValidationError(errors)


class VocabularyItem(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="vocabulary")
    term = models.CharField(max_length=120)
    translation = models.CharField(max_length=200, blank=True)  # in the lesson's text_language
    translations = models.JSONField(default=dict, blank=True)  # {"es": "la cuenta"}: in other languages
    example = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["lesson", "term"], name="vocabulary_unique_term")]

    def __str__(self) -> str:
        return self.term


class DialogueStep(models.Model):
    """One exchange of the offline tutor: it says `tutor_line`, then waits for an expected answer."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    tutor_line = models.TextField()
    expected_answers = models.JSONField(default=list, help_text=_("Answers that count as right."))
    hint = models.CharField(max_length=300, blank=True)
    objective = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The lesson objective this step achieves when answered without the hint."),
    )

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["lesson", "position"], name="dialogue_step_unique_position")]

    def __str__(self) -> str:
        return f"{self.lesson_id}#{self.position}"


class Classroom(models.Model):
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms")
    name = models.CharField(max_length=120)
    join_code = models.CharField(max_length=12, unique=True)
    # What the class's sessions may cost in a month (practice/budgets.py); None: no budget of its own.
    monthly_budget_usd = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Enrollment", related_name="enrolled_classrooms"
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["teacher", "name"], name="classroom_teacher_idx")]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "student"], name="enrollment_unique_student")]
        indexes = [models.Index(fields=["student"], name="enrollment_student_idx")]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="assignments")
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["classroom", "lesson"], name="assignment_unique_lesson")]
        indexes = [models.Index(fields=["classroom", "due_at"], name="assignment_due_idx")]

    def __str__(self) -> str:
        return f"{self.lesson} for {self.classroom}"
