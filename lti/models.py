"""What a learning platform's launches leave here, beside django-lti's own records (registrations, deployments,
platform users, courses, resource links): which of our classes a course is, and where each student's score for a
lesson goes in the platform's gradebook, and which scores went."""

from django.conf import settings
from django.db import models


class CourseClass(models.Model):
    """A platform's course is one of our classes: made when its teacher first adds a lesson from it."""

    context = models.OneToOneField("lti_tool.LtiContext", on_delete=models.CASCADE, related_name="tutor_class")
    classroom = models.OneToOneField("lessons.Classroom", on_delete=models.CASCADE, related_name="lti_course")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "platform course and its class"
        verbose_name_plural = "platform courses and their classes"

    def __str__(self) -> str:
        return f"{self.context} = {self.classroom}"


class GradeTarget(models.Model):
    """Where a student's score in a lesson goes: the line item of the resource link they launched (AGS), under
    the platform's id for them (`sub`). Updated at each launch; erased with the student."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_grade_targets")
    lesson = models.ForeignKey("lessons.Lesson", on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey("lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="+")
    lineitem_url = models.URLField(max_length=500)
    scopes = models.JSONField(default=list)
    platform_user_id = models.CharField(max_length=255)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "lesson", "lineitem_url"], name="lti_grade_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.lesson_id} → {self.lineitem_url}"


class GradeStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"


class GradeSent(models.Model):
    """One session's score for one gradebook: sent once (the task is retried until it is)."""

    session = models.ForeignKey("practice.TutorSession", on_delete=models.CASCADE, related_name="lti_grades")
    target = models.ForeignKey(GradeTarget, on_delete=models.CASCADE, related_name="grades")
    score = models.FloatField()  # 0..1
    status = models.CharField(max_length=8, choices=GradeStatus, default=GradeStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "score sent to a gradebook"
        verbose_name_plural = "scores sent to gradebooks"
        constraints = [models.UniqueConstraint(fields=["session", "target"], name="lti_grade_sent_once")]

    def __str__(self) -> str:
        return f"session {self.session_id} → {self.target_id}: {self.score:.2f} ({self.status})"
