from django.urls import reverse
from django.utils import timezone

from practice.charts import SIZES
from practice.services.progress import progress_record_session

from ..student_data import correction, finished_session

URL = reverse("progress")


def test_progress_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response.url


def test_progress_shows_five_accessible_charts_of_the_students_own_practice(client, student, other_student, lesson):
    mine = finished_session(student, lesson, day=timezone.localdate(), minutes=9)
    correction(mine, 1, category="spelling")
    progress_record_session(student=student, language="fr", seconds=540, words_learned=0, corrections=1)
    finished_session(other_student, lesson, day=timezone.localdate(), minutes=41)
    client.force_login(student)
    body = client.get(URL).content.decode()
    # Each chart is drawn at every size the stylesheet may pick from (practice/charts.py SIZES).
    assert body.count('<svg class="chart chart-w640"') == 5 and body.count('role="img"') == 5 * len(SIZES)
    assert "Time 9 min" in body and "41" not in body.split("chart-minutes-desc")[1].split("</desc>")[0]
    assert "Spelling" in body
    assert '<th scope="row">French</th>' in body


def test_a_student_without_practice_is_told_what_fills_the_charts(client, student):
    client.force_login(student)
    body = client.get(URL).content.decode()
    assert body.count("this fills in as you practise") == 5
