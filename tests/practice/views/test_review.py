"""Reviewing sessions: the filtered list, one session in full, comments, and the live view's page."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from lessons.services.classrooms import classroom_create, classroom_join
from lessons.services.lessons import lesson_create
from practice.models import SessionComment, SessionReport
from practice.services.comments import comment_create
from practice.services.sessions import session_create, session_end, session_mark_live
from tests.conftest import lesson_spec, make_user
from tests.practice.factories import reviewable_session


def listed(client, **filters) -> list[int]:
    response = client.get(reverse("teach:session_list"), filters)
    return [s.pk for s in response.context["page"].object_list]


def test_the_list_shows_only_the_teachers_students_sessions(client, teacher, reviewed, outsider_session):
    client.force_login(teacher)
    assert listed(client) == [reviewed.pk]


def test_the_list_filters_by_student_lesson_class_and_dates(client, teacher, classroom, student, lesson, reviewed):
    other_lesson = lesson_create(spec=lesson_spec(title="Madrid", language="es-ES"), author=teacher)
    second = classroom_create(teacher=teacher, name="Second")
    ben = classroom_join(student=make_user("ben"), join_code=second.join_code)
    old = reviewable_session(student, other_lesson, when=timezone.now() - dt.timedelta(days=40))
    bens = reviewable_session(ben.student, lesson)
    client.force_login(teacher)
    assert listed(client) == [bens.pk, reviewed.pk, old.pk]
    assert listed(client, student=student.pk) == [reviewed.pk, old.pk]
    assert listed(client, lesson=other_lesson.pk) == [old.pk]
    assert listed(client, classroom=second.pk) == [bens.pk]
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert listed(client, date_from=since) == [bens.pk, reviewed.pk]
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert listed(client, date_to=until) == [old.pk]


def test_a_filter_naming_someone_elses_student_shows_nothing(
    client, teacher, reviewed, other_student, outsider_session
):
    client.force_login(teacher)
    response = client.get(reverse("teach:session_list"), {"student": other_student.pk})
    assert response.context["form"].errors and list(response.context["page"].object_list) == []


def test_the_list_shows_counts_cost_and_report_state(client, teacher, reviewed):
    client.force_login(teacher)
    [row] = client.get(reverse("teach:session_list")).context["page"].object_list
    assert (row.turn_count, row.correction_count, row.comment_count, row.report_status) == (2, 1, 0, "ready")
    assert row.cost_usd == reviewed.usage.get().cost_usd > Decimal(0) and row.unpriced_usage == 0


def test_a_session_in_full_transcript_corrections_summary_report_usage(client, teacher, reviewed):
    client.force_login(teacher)
    response = client.get(reverse("teach:session_review", args=[reviewed.pk]))
    body = response.content.decode()
    review = response.context["review"]
    assert [line.turn.index for line in review.transcript] == [0, 1]
    assert [c.corrected for c in review.transcript[1].corrections] == ["Je voudrais"]
    assert "Je voudrait un café" in body and "First person ends in -s." in body
    assert "They ordered a coffee." in body  # the context summary
    assert "A good start." in body and "Verb endings" in body  # the report
    assert review.totals.tokens["audio_in_tokens"] == 900 and review.totals.cost.usd == reviewed.usage.get().cost_usd
    assert review.words_learned == ["un café"]


def test_the_review_speaks_product_words_not_codes(client, teacher, reviewed):
    client.force_login(teacher)
    body = client.get(reverse("teach:session_review", args=[reviewed.pk])).content.decode()
    header = body.split("<h1>")[1].split("</p>")[0]
    assert "Ended by the student" in header and "Ended ·" not in header and "(Ended" not in header
    assert "Offline tutor" in header and "offline" not in header
    assert "<td>Conversation <span" in body  # the usage row's purpose, with its model


def test_a_report_being_written_says_so(client, teacher, reviewed):
    SessionReport.objects.filter(session=reviewed).update(status="running")
    client.force_login(teacher)
    body = client.get(reverse("teach:session_review", args=[reviewed.pk])).content.decode()
    assert "being written" in body and "Reload the page in a moment." in body


def test_a_failed_report_shows_its_error(client, teacher, reviewed):
    SessionReport.objects.filter(session=reviewed).update(status="failed", error="The text model timed out.")
    client.force_login(teacher)
    assert (
        "The text model timed out." in client.get(reverse("teach:session_review", args=[reviewed.pk])).content.decode()
    )


def test_a_comment_is_saved_for_the_student_and_shown(client, teacher, reviewed):
    client.force_login(teacher)
    response = client.post(reverse("teach:comment_create", args=[reviewed.pk]), {"text": "Bravo, Ana !"}, follow=True)
    comment = SessionComment.objects.get()
    assert (comment.session, comment.author, comment.text) == (reviewed, teacher, "Bravo, Ana !")
    assert "Bravo, Ana !" in response.content.decode()


def test_an_empty_comment_is_refused_on_the_field(client, teacher, reviewed):
    client.force_login(teacher)
    response = client.post(reverse("teach:comment_create", args=[reviewed.pk]), {"text": "   "})
    assert response.status_code == 200 and not SessionComment.objects.exists()
    assert response.context["comment_form"].errors["text"]


def test_a_commented_session_no_longer_needs_review(client, teacher, reviewed):
    client.force_login(teacher)
    assert "To review" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("home")).context["dashboard"].needing_review == [reviewed]
    comment_create(session=reviewed, author=teacher, text="Good.")
    assert client.get(reverse("home")).context["dashboard"].needing_review == []


def test_the_watch_page_opens_the_watch_socket_for_a_live_session(client, teacher, classroom, student, lesson):
    session = session_create(student=student, lesson=lesson)
    session_mark_live(session_id=session.pk)
    client.force_login(teacher)
    body = client.get(reverse("teach:session_watch", args=[session.pk])).content.decode()
    assert f'data-ws-path="/ws/watch/{session.pk}/"' in body and "js/teach/watch.js" in body


def test_the_watch_page_of_an_ended_session_goes_to_its_review(client, teacher, reviewed):
    client.force_login(teacher)
    response = client.get(reverse("teach:session_watch", args=[reviewed.pk]))
    assert response.url == reverse("teach:session_review", args=[reviewed.pk])


def test_no_teacher_may_watch_or_review_another_teachers_student(client, other_teacher, reviewed):
    client.force_login(other_teacher)
    assert client.get(reverse("teach:session_watch", args=[reviewed.pk])).status_code == 404
    assert client.get(reverse("teach:session_review", args=[reviewed.pk])).status_code == 404
    assert client.post(reverse("teach:comment_create", args=[reviewed.pk]), {"text": "Hi"}).status_code == 404
    assert not SessionComment.objects.exists()


def test_a_report_written_by_the_report_service_shows_on_the_review_page(client, teacher, classroom, student, lesson):
    from practice.services import reports

    from ..factories import recorded_session

    session = recorded_session(student, lesson)
    session_end(session_id=session.pk, reason="student")
    reports.report_write(session_id=session.pk)
    client.force_login(teacher)
    body = client.get(reverse("teach:session_review", args=[session.pk])).content.decode()
    assert "Grammar" in body and "{&#x27;count&#x27;" not in body


def test_the_review_and_the_students_page_show_where_the_tutor_service_changed(client, teacher, student, reviewed):
    """Failover: each turn names its provider; where it changes, both transcripts say so."""
    turns = list(reviewed.turns.order_by("index"))
    for turn in turns:
        turn.provider, turn.model = "gemini", "gemini-3.8-live"
        turn.save()
    turns[-1].provider, turns[-1].model = "openai", "gpt-realtime"
    turns[-1].save()
    client.force_login(teacher)
    review = client.get(reverse("teach:session_review", args=[reviewed.pk]))
    assert [line.switched for line in review.context["review"].transcript] == [False, True]
    assert (
        "The tutor service failed; the lesson went on with OpenAI Realtime · gpt-realtime." in review.content.decode()
    )
    client.force_login(student)
    page = client.get(reverse("session_detail", args=[reviewed.pk])).content.decode()
    assert page.count("The tutor service failed; the lesson went on with") == 1
