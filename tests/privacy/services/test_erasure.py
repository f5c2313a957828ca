"""Erasing a student leaves nothing of them in any table of the project, and keeps what they cost."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client

from accounts.models import User
from lessons.models import Classroom
from practice.models import SessionComment, TutorSession, UsageRecord
from practice.selectors.costs import classrooms_spend_this_month, costs_overview, site_spend_this_month
from privacy.services.erasure import learner_erase
from tests.conftest import make_user
from tests.lti.launching import STUDENT, TEACHER, deep_link, student_launch
from tests.practice.factories import reviewable_session, spent
from tests.privacy.learner import EMAIL, USERNAME, full_learner

pytestmark = pytest.mark.django_db


def _relations(model) -> list:
    return [
        field for field in model._meta.get_fields()
        if getattr(field, "concrete", False) and field.is_relation and (field.many_to_one or field.one_to_one)
    ]  # fmt: skip


def _texts(model) -> list:
    return [
        f for f in model._meta.get_fields() if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def references_to(user_id: int, texts: tuple[str, ...]) -> dict[str, int]:
    """Rows of every model of the project (apps.get_models(), through tables included) that point at the user,
    directly or through rows that do (a turn of their session, a review of their card), or hold one of `texts`;
    counted by model."""
    user_model = get_user_model()
    everything = apps.get_models(include_auto_created=True)
    theirs: dict = {user_model: set(user_model.objects.filter(pk=user_id).values_list("pk", flat=True))}
    grown = True
    while grown:  # follow foreign keys until no new row points at what is theirs
        grown = False
        for model in everything:
            for field in _relations(model):
                if not theirs.get(field.related_model):
                    continue
                rows = set(model.objects.filter(**{f"{field.name}__in": theirs[field.related_model]})
                           .values_list("pk", flat=True))  # fmt: skip
                if not rows <= theirs.setdefault(model, set()):
                    theirs[model] |= rows
                    grown = True
    found = {model._meta.label: len(rows) for model, rows in theirs.items() if rows}
    for model in everything:  # generic relations (the admin's log): a content type and an object's id as text
        pairs = [(f.ct_field, f.fk_field) for f in model._meta.get_fields() if isinstance(f, GenericForeignKey)]
        names = {f.name for f in model._meta.get_fields()}
        if {"content_type", "object_id"} <= names:
            pairs.append(("content_type", "object_id"))
        for ct_field, fk_field in pairs:
            for target, pks in theirs.items():
                count = model.objects.filter(**{
                    ct_field: ContentType.objects.get_for_model(target), f"{fk_field}__in": [str(pk) for pk in pks],
                }).count()  # fmt: skip
                if count:
                    found[f"{model._meta.label} about {target._meta.label}"] = count
    logged_in = [s for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(user_id)]
    if logged_in:
        found["sessions.Session"] = len(logged_in)
    for model in everything:
        for field in _texts(model):
            for text in texts:
                count = model.objects.filter(**{f"{field.name}__icontains": text}).count()
                if count:
                    found[f"{model._meta.label}.{field.name} holding {text!r}"] = count
    return found


def test_erasing_a_student_leaves_no_row_of_any_model_referring_to_them(
    django_user_model, classroom, lesson, teacher, staff, client
):
    student, sessions = full_learner(classroom=classroom, lesson=lesson, teacher=teacher, staff=staff)
    client.force_login(student)  # an open login session holds their id
    before = references_to(student.pk, (USERNAME, EMAIL))
    # The walk sees them everywhere before: their sessions and all in them, their deck and its log, their levels.
    practice = "TutorSession Turn Correction VocabularyEvent ContextSummary SessionReport UsageRecord"
    practice += " SessionComment Card CardReview LearnerProgress PlacementResult"
    others = ("lessons.Enrollment", "admin.LogEntry about accounts.User", "sessions.Session")
    for label in (*(f"practice.{name}" for name in practice.split()), *others):
        assert before.get(label), (label, before)
    learner_erase(student=student, by=teacher)
    assert references_to(student.pk, (USERNAME, EMAIL, "Zoé", "Quillet")) == {}
    assert not TutorSession.objects.filter(pk__in=[s.pk for s in sessions]).exists()


def test_other_peoples_things_survive_an_erasure(classroom, lesson, teacher, staff, other_student):
    student, _ = full_learner(classroom=classroom, lesson=lesson, teacher=teacher, staff=staff)
    theirs = reviewable_session(other_student, lesson)
    learner_erase(student=student, by=staff)
    assert User.objects.filter(pk__in=[teacher.pk, staff.pk, other_student.pk]).count() == 3
    assert TutorSession.objects.filter(pk=theirs.pk).exists()
    assert Classroom.objects.filter(pk=classroom.pk).exists() and lesson.pk


def test_the_month_and_the_class_cost_the_same_after_an_erasure(classroom, lesson, teacher, staff):
    student, _ = full_learner(classroom=classroom, lesson=lesson, teacher=teacher, staff=staff)
    assert UsageRecord.objects.filter(session__student=student, cost_usd__isnull=True).count() == 0
    site, by_class = site_spend_this_month(), classrooms_spend_this_month(classrooms=[classroom])
    overview = costs_overview(user=staff)
    assert site.usd >= Decimal("0.25")
    learner_erase(student=student, by=teacher)
    assert site_spend_this_month() == site
    assert classrooms_spend_this_month(classrooms=[classroom]) == by_class
    after = costs_overview(user=staff)
    assert after.site.months == overview.site.months
    assert [row.months for row in after.classrooms] == [row.months for row in overview.classrooms]
    assert not [row for row in after.students if row.label == "Zoé"]


def test_two_erasures_in_one_month_add_up(classroom, lesson, teacher, staff):
    first, second = make_user("first"), make_user("second")
    spent(first, lesson, "0.10")
    spent(second, lesson, None)
    site = site_spend_this_month()
    learner_erase(student=first, by=staff)
    learner_erase(student=second, by=staff)
    assert site_spend_this_month() == site
    assert site_spend_this_month().unpriced


def test_a_teachers_comment_on_an_erased_students_session_goes_with_it(classroom, lesson, teacher, staff):
    student, _ = full_learner(classroom=classroom, lesson=lesson, teacher=teacher, staff=staff)
    assert SessionComment.objects.filter(author=teacher).exists()
    learner_erase(student=student, by=teacher)
    assert not SessionComment.objects.filter(author=teacher).exists()
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_a_student_launched_from_a_learning_platform_is_erased_with_their_platform_identity(platform, lesson):
    link = deep_link(Client(), platform, lesson)
    student_launch(Client(), platform, link)
    student = User.objects.get(email=STUDENT.email)
    reviewable_session(student, lesson)
    before = references_to(student.pk, (STUDENT.email, STUDENT.sub))
    assert before.get("lti_tool.LtiUser") and before.get("lti.GradeTarget"), before
    learner_erase(student=student, by=User.objects.get(email=TEACHER.email))
    assert references_to(student.pk, (STUDENT.email, STUDENT.sub, "Louis")) == {}
