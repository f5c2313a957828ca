"""Classes from the teacher's pages: create, join code and link, roster, assignments."""

from decimal import Decimal

from django.urls import reverse

from lessons.models import Classroom
from lessons.services.classrooms import classroom_create
from lessons.services.lessons import lesson_create
from tests.conftest import lesson_spec
from tests.practice.factories import spent


def test_a_teacher_creates_a_class_and_lands_on_its_page(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:classroom_list"), {"name": "  Tuesday B1  "})
    classroom = Classroom.objects.get()
    assert classroom.name == "Tuesday B1" and classroom.teacher == teacher
    assert response.url == reverse("teach:classroom_detail", args=[classroom.pk])


def test_a_class_without_a_name_is_refused(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:classroom_list"), {"name": ""})
    assert response.status_code == 200 and not Classroom.objects.exists()
    assert "This field is required." in response.content.decode()


def test_the_class_page_shows_the_code_the_join_link_and_the_roster(client, teacher, classroom, student):
    client.force_login(teacher)
    response = client.get(reverse("teach:classroom_detail", args=[classroom.pk]))
    body = response.content.decode()
    assert classroom.join_code in body
    assert f"http://testserver/accounts/join/{classroom.join_code}/" in body
    assert f"/accounts/sign-up/?code={classroom.join_code}" in body
    [row] = response.context["roster"]
    assert row == student and row.session_count == 0


def test_a_new_code_retires_the_old_link(client, teacher, classroom):
    old = classroom.join_code
    client.force_login(teacher)
    client.post(reverse("teach:classroom_new_code", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assert client.get(reverse("join_link", args=[old])).status_code == 404


def test_removing_a_student_takes_them_off_the_roster_only(client, teacher, classroom, student):
    client.force_login(teacher)
    client.post(reverse("teach:student_remove", args=[classroom.pk, student.pk]))
    assert not classroom.enrollments.exists()
    student.refresh_from_db()


def test_a_teacher_cannot_remove_a_student_of_a_colleagues_class(client, other_teacher, classroom, student):
    client.force_login(other_teacher)
    assert client.post(reverse("teach:student_remove", args=[classroom.pk, student.pk])).status_code == 404
    assert classroom.enrollments.count() == 1


def test_assigning_with_a_due_date_and_reassigning_changes_it(client, teacher, classroom, lesson):
    client.force_login(teacher)
    url = reverse("teach:assignment_save", args=[classroom.pk])
    client.post(url, {"lesson": lesson.pk, "due_at": "2026-12-01T18:00"})
    client.post(url, {"lesson": lesson.pk, "due_at": "2026-12-08T09:30"})
    assignment = classroom.assignments.get()
    assert (assignment.due_at.day, assignment.due_at.hour) == (8, 9)


def test_only_published_lessons_the_teacher_sees_can_be_assigned(client, teacher, other_teacher, classroom):
    draft = lesson_create(spec=lesson_spec(title="Draft", published=False), author=teacher)
    secret = lesson_create(spec=lesson_spec(title="Secret", published=False), author=other_teacher)
    client.force_login(teacher)
    page = client.get(reverse("teach:classroom_detail", args=[classroom.pk])).context
    choices = {lesson.title for lesson in page["assignment_form"].fields["lesson"].queryset}
    assert choices == {"Café in Lyon"}
    for lesson in (draft, secret):
        client.post(reverse("teach:assignment_save", args=[classroom.pk]), {"lesson": lesson.pk})
    assert classroom.assignments.count() == 1


def test_unassigning_removes_the_assignment(client, teacher, classroom):
    client.force_login(teacher)
    assignment = classroom.assignments.get()
    client.post(reverse("teach:assignment_remove", args=[classroom.pk, assignment.pk]))
    assert not classroom.assignments.exists()


def test_renaming_and_deleting_after_confirmation(client, teacher, classroom):
    client.force_login(teacher)
    client.post(reverse("teach:classroom_rename", args=[classroom.pk]), {"name": "Mornings"})
    classroom.refresh_from_db()
    assert classroom.name == "Mornings"
    confirm = client.get(reverse("teach:classroom_delete", args=[classroom.pk]))
    assert "Delete Mornings?" in confirm.content.decode() and Classroom.objects.exists()
    client.post(reverse("teach:classroom_delete", args=[classroom.pk]))
    assert not Classroom.objects.exists()


def test_the_class_list_shows_only_the_teachers_classes_and_staff_see_all(client, teacher, other_teacher, staff):
    classroom_create(teacher=teacher, name="Mine")
    classroom_create(teacher=other_teacher, name="Theirs")
    client.force_login(teacher)
    assert [c.name for c in client.get(reverse("teach:classroom_list")).context["classrooms"]] == ["Mine"]
    client.force_login(staff)
    assert {c.name for c in client.get(reverse("teach:classroom_list")).context["classrooms"]} == {"Mine", "Theirs"}


def test_the_teacher_sets_and_clears_the_class_budget_and_sees_how_much_is_spent(client, teacher, classroom, student,
                                                                                lesson):  # fmt: skip
    client.force_login(teacher)
    saved = client.post(reverse("teach:classroom_budget", args=[classroom.pk]), {"monthly_budget_usd": "8.00"})
    assert saved.url == reverse("teach:classroom_detail", args=[classroom.pk])
    classroom.refresh_from_db()
    assert classroom.monthly_budget_usd == Decimal("8.00")
    spent(student, lesson, "2.00")
    body = client.get(reverse("teach:classroom_detail", args=[classroom.pk])).content.decode()
    assert "$2.00 of $8.00 this month" in body and '<progress max="100" value="25"' in body
    assert "The budget is spent" not in body
    spent(student, lesson, "6.00")
    body = client.get(reverse("teach:classroom_detail", args=[classroom.pk])).content.decode()
    assert "The budget is spent: new sessions use the offline tutor until next month." in body
    client.post(reverse("teach:classroom_budget", args=[classroom.pk]), {"monthly_budget_usd": ""})
    classroom.refresh_from_db()
    assert classroom.monthly_budget_usd is None
    assert "this month</p>" not in client.get(reverse("teach:classroom_detail", args=[classroom.pk])).content.decode()


def test_a_negative_budget_is_refused_and_another_teachers_class_is_not_found(client, teacher, other_teacher,
                                                                             classroom):  # fmt: skip
    client.force_login(teacher)
    client.post(reverse("teach:classroom_budget", args=[classroom.pk]), {"monthly_budget_usd": "-1"})
    classroom.refresh_from_db()
    assert classroom.monthly_budget_usd is None
    client.force_login(other_teacher)
    response = client.post(reverse("teach:classroom_budget", args=[classroom.pk]), {"monthly_budget_usd": "100"})
    assert response.status_code == 404
