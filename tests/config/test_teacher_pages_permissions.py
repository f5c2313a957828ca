"""Who may open each teacher page: teachers (their own things), staff (everything), nobody else.

Every route under /teach/ is listed here; a route added without a row fails
test_every_teacher_route_is_covered_here.
"""

import pytest
from django.urls import get_resolver, reverse

from lessons.services.lessons import lesson_create
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
