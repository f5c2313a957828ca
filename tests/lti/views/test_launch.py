"""Launches from a simulated platform with real keys and signed id_tokens: a teacher adds a lesson to a course
(deep linking), a student lands signed in on it in the course's class; every bad launch is refused with a page
that says why, in the reader's language, and creates nobody."""

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse
from lti_tool.models import LtiDeployment

from accounts.models import Role, User
from lessons.models import Assignment, Enrollment
from lti.models import CourseClass, GradeTarget
from tests.fakes.lti_platform import rsa_key
from tests.lti.launching import COURSE, STUDENT, TEACHER, deep_link, launch, student_launch

pytestmark = pytest.mark.django_db


def test_a_teacher_adds_a_lesson_to_a_course_which_becomes_a_class_with_it_assigned(client, platform, lesson):
    link = deep_link(client, platform, lesson)
    teacher = User.objects.get(email=TEACHER.email)
    assert teacher.role == Role.TEACHER and not teacher.has_usable_password()
    course = CourseClass.objects.get(context__id_on_platform=COURSE[0])
    assert course.classroom.teacher == teacher and course.classroom.name == COURSE[1]
    assert Assignment.objects.filter(classroom=course.classroom, lesson=lesson).exists()
    assert link.custom == {"lesson": str(lesson.pk)} and link.title == lesson.title


def test_the_deep_linking_page_posts_back_to_the_platform_only(client, platform, lesson):
    claims = platform.deep_linking_claims(person=TEACHER, course_id="c", title="C", return_url=f"{platform.url}/back")
    launch(client, platform, TEACHER, claims)
    page = client.post(reverse("lti:deep_link"), {"lesson": lesson.pk})
    assert f'action="{platform.url}/back"' in page.content.decode()
    assert f"form-action 'self' {platform.url}" in page["Content-Security-Policy"]
    assert "form-action 'self';" in client.get(reverse("home"))["Content-Security-Policy"]


def test_a_student_lands_signed_in_on_the_lesson_in_the_courses_class(platform, lesson):
    link = deep_link(Client(), platform, lesson)
    browser = Client()
    response, _ = student_launch(browser, platform, link)
    assert response.status_code == 302 and response.url == reverse("lti:lesson", args=[lesson.pk])
    page = browser.get(response.url)
    student = User.objects.get(email=STUDENT.email)
    assert page.status_code == 200 and get_user(page.wsgi_request) == student
    assert student.role == Role.STUDENT and student.first_name == "Louis"
    assert lesson.title in page.content.decode() and reverse("session_start", args=[lesson.pk]) in page.content.decode()
    assert Enrollment.objects.filter(student=student, classroom__lti_course__context__id_on_platform=COURSE[0]).exists()
    target = GradeTarget.objects.get(student=student, lesson=lesson)
    assert target.lineitem_url == link.lineitem and target.platform_user_id == STUDENT.sub


def test_a_second_launch_is_the_same_person_in_the_same_class(platform, lesson):
    link = deep_link(Client(), platform, lesson)
    student_launch(Client(), platform, link)
    student_launch(Client(), platform, link)
    assert User.objects.filter(email=STUDENT.email).count() == 1
    assert Enrollment.objects.filter(student__email=STUDENT.email).count() == 1


def refusal(response, code: str) -> None:
    assert response.status_code == 403, response.content
    assert f'data-refusal="{code}"' in response.content.decode()


@pytest.fixture
def link(platform, lesson):
    made = deep_link(Client(), platform, lesson)
    return made


def _nobody_new(before: int) -> None:
    assert User.objects.count() == before and not User.objects.filter(email=STUDENT.email).exists()


def test_a_launch_signed_with_another_key_is_refused_and_creates_nobody(platform, link):
    before = User.objects.count()
    response, _ = student_launch(Client(), platform, link, sign_with=rsa_key())
    refusal(response, "signature")
    assert "not signed by the learning platform" in response.content.decode()
    _nobody_new(before)


def test_a_launch_for_another_audience_is_refused_and_creates_nobody(platform, link):
    before = User.objects.count()
    claims = platform.resource_claims(person=STUDENT, link=link, target="http://testserver/lti/launch/")
    response, _ = launch(Client(), platform, STUDENT, {**claims, "aud": "another-tool"})
    refusal(response, "audience")
    _nobody_new(before)


def test_an_expired_launch_is_refused_and_creates_nobody(platform, link):
    before = User.objects.count()
    response, _ = student_launch(Client(), platform, link, expires_in=-60)
    refusal(response, "expired")
    assert "has expired" in response.content.decode()
    _nobody_new(before)


def test_a_replayed_launch_is_refused(platform, link):
    browser = Client()
    response, form = student_launch(browser, platform, link)
    assert response.status_code == 302
    student = User.objects.get(email=STUDENT.email)
    replay = browser.post(reverse("lti:launch"), {"id_token": form["id_token"], "state": form["state"]})
    refusal(replay, "replayed")
    assert User.objects.filter(email=STUDENT.email).get() == student


def test_a_launch_whose_state_this_browser_never_started_is_refused(platform, link):
    before = User.objects.count()
    _, form = student_launch(Client(), platform, link)  # the first browser's launch succeeded; a stranger replays it
    User.objects.filter(email=STUDENT.email).delete()
    response = Client().post(reverse("lti:launch"), {"id_token": form["id_token"], "state": "not-" + form["state"]})
    refusal(response, "state")
    assert User.objects.count() == before


def test_a_launch_from_a_deployment_not_switched_on_is_refused(platform, link):
    LtiDeployment.objects.update(is_active=False)
    before = User.objects.count()
    response, _ = student_launch(Client(), platform, link)
    refusal(response, "inactive")
    _nobody_new(before)


def test_a_student_launch_from_a_course_with_no_class_yet_is_refused_and_creates_nobody(platform, link):
    CourseClass.objects.all().delete()
    before = User.objects.count()
    response, _ = student_launch(Client(), platform, link)
    refusal(response, "not_set_up")
    _nobody_new(before)


def test_a_refusal_is_in_the_readers_language(platform, link):
    browser = Client(headers={"Accept-Language": "fr"})
    response, _ = student_launch(browser, platform, link, expires_in=-60)
    refusal(response, "expired")
    assert 'lang="fr"' in response.content.decode()
    assert "has expired" not in response.content.decode()
