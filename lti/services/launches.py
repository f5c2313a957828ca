"""Writes of a launch from a learning platform, once pylti1p3 has checked it: its nonce used once, the person
(created on their first launch with the role the platform gives them), the course's class, the student's
enrolment, and where their score goes."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.text import slugify
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiLaunch, LtiUser

from accounts.models import Role, User
from accounts.services import user_create
from lessons.models import Classroom, Enrollment, Lesson
from lessons.services.classrooms import assignment_create, classroom_create

from ..models import CourseClass, GradeTarget
from ..refusals import LaunchRefused

AGS_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
TEACHING_ROLES = {ContextRole.INSTRUCTOR, ContextRole.ADMINISTRATOR, ContextRole.CONTENT_DEVELOPER}


def nonce_use(*, issuer: str, nonce: str) -> None:
    """A launch's nonce is good once: pylti1p3 checks that this site issued it, not that it was never used."""
    key = "lti-nonce-used:" + hashlib.sha256(f"{issuer}\n{nonce}".encode()).hexdigest()
    if not cache.add(key, True, timeout=settings.LTI_NONCE_SECONDS):
        raise LaunchRefused("replayed")


def is_teaching(lti_launch: LtiLaunch) -> bool:
    return bool({normalize_role(role) for role in lti_launch.roles_claim} & TEACHING_ROLES)


def _username(lti_user: LtiUser) -> str:
    """A name that says who it is and cannot collide: the platform's name for them and a hash of their id there."""
    digest = hashlib.sha256(f"{lti_user.registration.issuer}\n{lti_user.sub}".encode()).hexdigest()[:10]
    base = slugify(lti_user.given_name or lti_user.name or "learner")[:40] or "learner"
    return f"{base}-{digest}"


def launch_person(*, lti_launch: LtiLaunch) -> User:
    """The launching person's account here: made on their first launch, a teacher when the course says they teach."""
    lti_user = lti_launch.user
    if lti_user.auth_user_id is not None:
        return lti_user.auth_user
    user = user_create(
        username=_username(lti_user),
        password=None,
        email=lti_user.email,
        role=Role.TEACHER if is_teaching(lti_launch) else Role.STUDENT,
        first_name=lti_user.given_name[:150],
        last_name=lti_user.family_name[:150],
    )
    lti_user.auth_user = user
    lti_user.save(update_fields=["auth_user", "datetime_modified"])
    return user


def course_class(*, lti_launch: LtiLaunch, teacher: User | None) -> Classroom:
    """The class this course is here; a teacher's launch makes it the first time, a student's never does."""
    context = lti_launch.context
    mapped = CourseClass.objects.filter(context=context).select_related("classroom").first()
    if mapped is not None:
        return mapped.classroom
    if teacher is None or not (teacher.is_teacher or teacher.is_operator):
        raise LaunchRefused("not_set_up")
    classroom = classroom_create(teacher=teacher, name=(context.title or context.label or context.id_on_platform)[:120])
    CourseClass.objects.create(context=context, classroom=classroom)
    return classroom


@transaction.atomic
def lesson_link_add(*, lti_launch: LtiLaunch, teacher: User, lesson: Lesson) -> Classroom:
    """Deep linking: the teacher adds a lesson to their course, so it is assigned to the course's class."""
    classroom = course_class(lti_launch=lti_launch, teacher=teacher)
    assignment_create(classroom=classroom, lesson=lesson, due_at=None)
    return classroom


@transaction.atomic
def student_launch_accept(*, lti_launch: LtiLaunch, student: User, lesson_id: str | None) -> Lesson:
    """A resource launch: the lesson it names, assigned to the course's class; the student enrolled in that class;
    where their score goes, when the platform offers a gradebook column for the link."""
    classroom = course_class(lti_launch=lti_launch, teacher=None)
    lesson = Lesson.objects.filter(pk=lesson_id, assignments__classroom=classroom).first() if lesson_id else None
    if lesson is None or not str(lesson_id).isdigit():
        raise LaunchRefused("lesson")
    if not (student.is_teacher or student.is_operator):
        Enrollment.objects.get_or_create(classroom=classroom, student=student)
    ags = lti_launch.ags_claim or {}
    if ags.get("lineitem") and AGS_SCORE in ags.get("scope", []):
        GradeTarget.objects.update_or_create(
            student=student,
            lesson=lesson,
            lineitem_url=ags["lineitem"],
            defaults={
                "registration": lti_launch.registration,
                "scopes": list(ags["scope"]),
                "platform_user_id": lti_launch.user.sub,
            },
        )
    return lesson
