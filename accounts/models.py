"""The user model: Django's user plus the role that decides what each person may see."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    STAFF = "staff", _("Staff")


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)
    # The learner's own language (BCP-47): the tutor may explain in it, transcription listens for it.
    native_language = models.CharField(max_length=16, default="en", blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="accounts_user_role_valid"
            )
        ]

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    @property
    def is_operator(self) -> bool:
        """Staff may see every session: the role or Django's own staff flag grants it."""
        return self.role == Role.STAFF or self.is_staff

    @property
    def reading_language(self) -> str:
        """What the app writes to this person in when no page is asking (reports, summaries): their own
        language when the site speaks it (settings.LANGUAGES), else the site's language. The same language
        the tutor explains mistakes in, so a French speaker gets a report in French whatever the lesson."""
        code = (self.native_language or "").split("-")[0].lower()
        return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
