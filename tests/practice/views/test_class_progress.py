"""The class progress page: charts and the tables that carry the same numbers."""

from django.urls import reverse

from tests.practice.factories import reviewable_session


def test_the_progress_page_has_charts_and_tables(client, teacher, classroom, student, lesson):
    reviewable_session(student, lesson, minutes=5, objectives_met=["Order a drink", "Ask for the bill"])
    client.force_login(teacher)
    response = client.get(reverse("teach:classroom_progress", args=[classroom.pk]))
    body = response.content.decode()
    for chart in ("chart-minutes", "chart-sessions", "chart-words", "chart-corrections", "chart-completion"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in body
    assert "Practice time, per student (minutes). Ana: Time 5 min" in body
    assert '<h3 id="chart-sessions-heading">Sessions, per student</h3>' in body
    assert "Grammar (1)" in body
    assert "1 / 1" in body  # completed, of the class's students


def test_the_period_choice_is_applied(client, teacher, classroom, student, lesson):
    client.force_login(teacher)
    response = client.get(reverse("teach:classroom_progress", args=[classroom.pk]), {"period": "all"})
    assert response.context["progress"].since is None
    response = client.get(reverse("teach:classroom_progress", args=[classroom.pk]), {"period": "7"})
    assert response.context["progress"].since is not None


def test_an_empty_class_says_so(client, teacher):
    from lessons.services.classrooms import classroom_create

    room = classroom_create(teacher=teacher, name="Empty")
    client.force_login(teacher)
    assert (
        "Nobody is in this class yet."
        in client.get(reverse("teach:classroom_progress", args=[room.pk])).content.decode()
    )


def test_a_colleagues_class_progress_is_not_found(client, other_teacher, classroom):
    client.force_login(other_teacher)
    assert client.get(reverse("teach:classroom_progress", args=[classroom.pk])).status_code == 404
