from django.urls import reverse

from lessons.services.lessons import lesson_create
from lessons.spec import VocabularySpec
from practice.models import TutorSession
from practice.services.recording import note_record
from practice.services.sessions import session_create, session_end
from tests.conftest import configure_tutor, lesson_spec
from tests.practice.factories import budget
from tutor.events import ObjectiveMet


def test_the_start_form_creates_then_continues_a_session(client, student, lesson):
    client.force_login(student)
    first = client.post(reverse("session_start", args=[lesson.pk]))
    session = TutorSession.objects.get()
    assert first.url == reverse("session_live", args=[session.pk])
    client.post(reverse("session_start", args=[lesson.pk]))
    assert TutorSession.objects.count() == 1


def test_nobody_else_sees_a_students_session_pages(client, student, other_student, lesson):
    session = session_create(student=student, lesson=lesson)
    client.force_login(other_student)
    assert client.get(reverse("session_live", args=[session.pk])).status_code == 404
    assert client.get(reverse("session_detail", args=[session.pk])).status_code == 404


def test_an_ended_session_sends_the_live_page_to_its_report(client, student, lesson):
    session = session_create(student=student, lesson=lesson)
    session_end(session_id=session.pk, reason="student")
    client.force_login(student)
    response = client.get(reverse("session_live", args=[session.pk]))
    assert response.url == reverse("session_detail", args=[session.pk])


def live_page(client, session):
    return client.get(reverse("session_live", args=[session.pk]))


def test_the_live_page_shows_the_lessons_words_and_objectives_met_so_far(client, student, lesson):
    session = session_create(student=student, lesson=lesson)
    note_record(session_id=session.pk, note=ObjectiveMet(objective="Ask for the bill"))
    client.force_login(student)
    body = live_page(client, session).content.decode()
    assert 'data-term="un café"' in body and 'data-term="l&#x27;addition"' in body
    assert 'class="objective met" data-objective="Ask for the bill"' in body
    assert f'data-ws-path="/ws/sessions/{session.pk}/"' in body
    assert 'id="transcript"' in body and 'aria-live="polite"' in body
    assert "js/live/main.js" in body and reverse("javascript_catalog") in body


def test_the_live_page_gives_the_student_their_scenario_and_a_hint_where_the_conversation_goes(
    client, student, teacher
):
    own = lesson_create(spec=lesson_spec(student_scenario="You are at a café in Lyon."), author=teacher)
    client.force_login(student)
    body = live_page(client, session_create(student=student, lesson=own)).content.decode()
    assert "You are at a café in Lyon." in body and "Order breakfast at a café." not in body  # not the tutor's brief
    assert 'class="transcript-empty"' in body and "as you and Camille speak" in body


def test_without_a_scenario_of_their_own_the_student_reads_the_tutor_and_the_goals(client, student, lesson):
    client.force_login(student)
    body = live_page(client, session_create(student=student, lesson=lesson)).content.decode()
    assert "You talk with Camille. Your goals: Order a drink; Ask for the bill." in body
    assert "Order breakfast at a café." not in body


def test_a_right_to_left_lesson_is_written_right_to_left_on_the_live_page(client, student, teacher):
    arabic = lesson_create(
        spec=lesson_spec(title="في المقهى", language="ar-EG", vocabulary=(VocabularySpec("قهوة", "coffee"),)),
        author=teacher,
    )
    session = session_create(student=student, lesson=arabic)
    client.force_login(student)
    body = live_page(client, session).content.decode()
    assert '<span class="chip-term" lang="ar-EG" dir="rtl">قهوة</span>' in body
    assert 'data-direction="rtl"' in body and 'lang="ar-EG" dir="rtl" disabled' in body  # the typing field
    assert '<html lang="en" dir="ltr">' in body  # the page itself stays in the reader's language


def test_the_offline_tutor_gets_audio_without_noise_suppression_others_with_it(client, student, lesson):
    session = session_create(student=student, lesson=lesson)
    client.force_login(student)
    offline = live_page(client, session).context["capture_processing"]
    assert offline == {"echoCancellation": True, "noiseSuppression": False, "autoGainControl": False}
    TutorSession.objects.filter(pk=session.pk).update(provider="gemini")
    networked = live_page(client, session).context["capture_processing"]
    assert networked == {"echoCancellation": True, "noiseSuppression": True, "autoGainControl": True}


def test_only_the_sessions_own_student_opens_its_live_page(client, student, teacher, staff, classroom, lesson):
    session = session_create(student=student, lesson=lesson)
    response = live_page(client, session)
    assert response.status_code == 302 and reverse("login") in response.url
    for viewer in (teacher, staff):
        client.force_login(viewer)
        assert live_page(client, session).status_code == 404


def test_the_javascript_catalog_is_served(client, db):
    response = client.get(reverse("javascript_catalog"))
    assert response.status_code == 200 and b"gettext" in response.content


def test_a_spent_budget_with_refuse_sends_the_student_home_with_the_reason(
    client, settings, student, lesson, classroom
):
    configure_tutor(settings, provider="gemini", gemini={"api_key": "test-key"})
    settings.TUTOR_OVER_BUDGET = "refuse"
    budget(classroom, "0")
    client.force_login(student)
    response = client.post(reverse("session_start", args=[lesson.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "This month&#x27;s tutor budget is spent" in response.content.decode()
    assert not TutorSession.objects.exists()


def test_the_live_page_says_a_spent_budget_chose_the_offline_tutor(client, settings, student, lesson, classroom):
    configure_tutor(settings, provider="gemini", gemini={"api_key": "test-key"})
    notice = "This month's tutor budget is spent; today's lesson uses the offline tutor."
    client.force_login(student)
    within = client.post(reverse("session_start", args=[lesson.pk]), follow=True)
    assert within.context["session"].provider == "gemini" and notice not in within.content.decode()
    TutorSession.objects.all().delete()
    budget(classroom, "0")
    over = client.post(reverse("session_start", args=[lesson.pk]), follow=True)
    assert over.context["session"].provider == "offline" and notice in over.content.decode()
