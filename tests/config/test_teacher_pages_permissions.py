"""Who may open each teacher page: teachers (their own things), staff (everything), nobody else.

Every route under /teach/ is listed here; a route added without a row fails
test_every_teacher_route_is_covered_here.
"""

import pytest
from django.urls import get_resolver, reverse
from lti_tool.models import Key

from lessons.services.lessons import lesson_create
from lti import urls as lti_urls
from privacy import urls as privacy_urls
from tests.conftest import lesson_spec
from tests.practice.factories import reviewable_session


@pytest.fixture
def things(teacher, classroom, student, lesson):
    """One of each object the teacher's pages act on, all belonging to `teacher`."""
    draft = lesson_create(spec=lesson_spec(title="Draft", published=False), author=teacher)
    session = reviewable_session(student, lesson)
    return {
        "lesson": draft.pk,
        "classroom": classroom.pk,
        "student": student.pk,
        "assignment": classroom.assignments.get().pk,
        "session": session.pk,
    }


# name, the objects its URL names, GET allowed (else POST only)
ROUTES = [
    ("lesson_list", (), True),
    ("lesson_create", (), True),
    ("lesson_preview", (), False),
    ("lesson_import", (), True),
    ("lesson_export", (), True),
    ("lesson_detail", ("lesson",), True),
    ("lesson_edit", ("lesson",), True),
    ("lesson_duplicate", ("lesson",), False),
    ("lesson_publish", ("lesson",), False),
    ("lesson_assign", ("lesson",), False),
    ("lesson_translations", ("lesson",), True),
    ("classroom_list", (), True),
    ("classroom_detail", ("classroom",), True),
    ("classroom_rename", ("classroom",), False),
    ("classroom_new_code", ("classroom",), False),
    ("classroom_budget", ("classroom",), False),
    ("classroom_delete", ("classroom",), True),
    ("classroom_progress", ("classroom",), True),
    ("cost_overview", (), True),
    ("student_remove", ("classroom", "student"), False),
    ("assignment_save", ("classroom",), False),
    ("assignment_remove", ("classroom", "assignment"), False),
    ("session_list", (), True),
    ("session_review", ("session",), True),
    ("comment_create", ("session",), False),
    ("session_watch", ("session",), True),
    ("learner_deck", ("student",), True),
    ("learner_level_set", ("student",), False),
    ("learner_erase", ("student",), True),
]
OWNED = [route for route in ROUTES if route[1]]


def url(name: str, keys: tuple, things: dict) -> str:
    return reverse(f"teach:{name}", args=[things[key] for key in keys])


def request(client, name: str, keys: tuple, get: bool, things: dict):
    target = url(name, keys, things)
    return client.get(target) if get else client.post(target, {"name": "x", "text": "x", "published": "1"})


def test_every_teacher_route_is_covered_here():
    teach = get_resolver().url_patterns
    names = {
        pattern.name
        for include in teach
        if getattr(include, "namespace", None) == "teach"
        for pattern in include.url_patterns
    }
    assert names == {name for name, *_ in ROUTES}


@pytest.mark.parametrize(("name", "keys", "get"), ROUTES)
def test_visitors_are_sent_to_log_in(client, things, name, keys, get):
    response = request(client, name, keys, get, things)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "keys", "get"), ROUTES)
def test_students_are_refused_every_teacher_page(client, things, student, name, keys, get):
    client.force_login(student)
    assert request(client, name, keys, get, things).status_code == 403


@pytest.mark.parametrize(("name", "keys", "get"), OWNED)
def test_another_teacher_finds_nothing_of_a_colleagues_drafts_classes_and_students(
    client, things, other_teacher, name, keys, get
):
    client.force_login(other_teacher)
    assert request(client, name, keys, get, things).status_code == 404


@pytest.mark.parametrize(("name", "keys", "get"), [route for route in ROUTES if route[2]])
def test_the_owner_and_staff_open_every_page(client, things, teacher, staff, name, keys, get):
    for user in (teacher, staff):
        client.force_login(user)
        response = request(client, name, keys, get, things)
        # The watch page of a finished session sends the viewer to its review.
        assert response.status_code == (302 if name == "session_watch" else 200), user


def test_another_teacher_sees_none_of_a_colleagues_students_in_lists(client, things, other_teacher):
    client.force_login(other_teacher)
    assert not client.get(reverse("teach:session_list")).context["page"].object_list
    assert not client.get(reverse("teach:classroom_list")).context["classrooms"]
    assert "Draft" not in client.get(reverse("teach:lesson_list")).content.decode()
    form = client.get(reverse("teach:session_list")).context["form"]
    assert not form.fields["student"].queryset.exists() and not form.fields["lesson"].queryset.exists()
    assert not client.get(reverse("home")).context["dashboard"].needing_review
    costs = client.get(reverse("teach:cost_overview")).context["overview"]
    assert not costs.classrooms and not costs.students


def test_a_student_sees_nothing_of_another_students_sessions(client, things, other_student):
    client.force_login(other_student)
    assert client.get(reverse("session_detail", args=[things["session"]])).status_code == 404
    assert client.get(reverse("session_live", args=[things["session"]])).status_code == 404
    assert "Ana" not in client.get(reverse("home")).content.decode()


# ---- the pages and endpoints outside /teach/ that a learner's data, learning platforms and the school's sign-in
# added: who may open each. A route of those apps added without a row fails the first test below.

OTHER_ROUTES = {
    "my_data", "my_data_export", "lti:jwks", "lti:login", "lti:login_registration", "lti:launch", "lti:deep_link",
    "lti:lesson", "oidc_start", "oidc_callback",
}  # fmt: skip


def test_every_route_of_the_data_platform_and_sign_in_pages_is_covered_here():
    names = {f"lti:{p.name}" for p in lti_urls.urlpatterns} | {p.name for p in privacy_urls.urlpatterns}
    names |= {name for name in ("oidc_start", "oidc_callback") if reverse(name)}
    assert names == OTHER_ROUTES


@pytest.mark.parametrize("name", ["my_data", "my_data_export"])
def test_a_persons_data_is_theirs_alone_and_visitors_log_in(client, things, student, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(student)
    assert client.get(reverse(name)).status_code == 200
    assert client.post(reverse(name)).status_code == 405  # reading only; nothing to post


def test_the_platform_lesson_page_is_for_those_the_lesson_is_open_to(client, things, student, other_student, lesson):
    url = reverse("lti:lesson", args=[lesson.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(student)
    assert client.get(url).status_code == 200
    client.force_login(other_student)
    assert client.get(reverse("lti:lesson", args=[things["lesson"]])).status_code == 404  # a teacher's draft


def test_deep_linking_needs_a_platforms_launch(client, things, student, teacher):
    response = client.get(reverse("lti:deep_link"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (student, teacher):
        client.force_login(user)
        response = client.post(reverse("lti:deep_link"), {"lesson": things["lesson"]})
        assert response.status_code == 403 and b'data-refusal="state"' in response.content


def test_the_launch_endpoint_takes_only_a_signed_post(client, db):
    assert client.get(reverse("lti:launch")).status_code == 405
    refused = client.post(reverse("lti:launch"), {"id_token": "not.a.token", "state": "x"})
    assert refused.status_code == 403 and b"data-refusal" in refused.content
    assert client.get(reverse("lti:login")).status_code == 400  # no target_link_uri


def test_the_tools_keys_are_public_and_only_public(client, db):
    Key.objects.generate()
    keys = client.get(reverse("lti:jwks")).json()["keys"]
    assert keys and all("d" not in key and "p" not in key for key in keys)


def test_the_schools_sign_in_is_absent_until_configured(client, db):
    assert client.get(reverse("oidc_start")).status_code == 404
    assert client.get(reverse("oidc_callback"), {"state": "s", "code": "c"}).status_code == 404
