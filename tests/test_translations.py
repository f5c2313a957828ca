"""Pages, scripts, e-mails, charts, reports and lesson-file problems speak each language the site offers,
with its plurals and without a gendered role word."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from lessons.files import LessonFileError, parse_lesson_file
from practice import formatting
from practice.services.sessions import session_create
from practice.writers import extractive_narrative

from .practice.test_writers import SHORT

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}


@pytest.mark.parametrize(
    ("headers", "lang", "expected"),
    [
        (FRENCH, "fr", ["Leçons à faire", "Commencer Café in Lyon", "de pratique cette semaine", "Historique"]),
        (SPANISH, "es", ["Lecciones asignadas", "Empezar Café in Lyon", "de práctica esta semana", "Historial"]),
        (GERMAN, "de", ["Ihnen zugewiesen", "Café in Lyon beginnen", "geübt diese Woche", "Verlauf"]),
    ],
)
def test_the_dashboard_speaks_the_browsers_language(client, student, classroom, headers, lang, expected):
    client.force_login(student)
    body = client.get(reverse("home"), **headers).content.decode()
    assert f'<html lang="{lang}" dir="ltr">' in body
    for text in expected:
        assert text in body


def test_the_live_page_and_its_script_strings_are_in_french(client, student, lesson):
    session = session_create(student=student, lesson=lesson)
    client.force_login(student)
    page = client.get(reverse("session_live", args=[session.pk]), **FRENCH).content.decode()
    assert "Commencer la conversation" in page and "Écrivez votre réponse" in page
    catalog = client.get(reverse("javascript_catalog"), **FRENCH).content.decode()
    assert '"Live": "En direct"' in catalog and "L'acc\\u00e8s au micro est bloqu\\u00e9" in catalog


@pytest.mark.parametrize(("headers", "expected"), [(SPANISH, '"Live": "En directo"'), (GERMAN, '"Paused": "Pausiert"')])
def test_the_scripts_strings_come_in_spanish_and_german(client, db, headers, expected):
    assert expected in client.get(reverse("javascript_catalog"), **headers).content.decode()


def test_plural_forms_follow_each_languages_rules(client, student):
    client.force_login(student)
    assert "jour d'affilée" in client.get(reverse("home"), **FRENCH).content.decode()  # 0 days: singular in French
    assert "días seguidos" in client.get(reverse("home"), **SPANISH).content.decode()  # 0: plural in Spanish
    assert "Tage in Folge" in client.get(reverse("home"), **GERMAN).content.decode()


def test_a_teachers_role_is_named_without_a_gender(client, teacher):
    client.force_login(teacher)  # Marie
    assert '<span class="role"> · Prof</span>' in client.get(reverse("home"), **FRENCH).content.decode()
    assert '<span class="role"> · Docente</span>' in client.get(reverse("home"), **SPANISH).content.decode()
    assert '<span class="role"> · Lehrkraft</span>' in client.get(reverse("home"), **GERMAN).content.decode()


def test_the_language_picker_changes_the_sites_language(client, student):
    client.force_login(student)
    response = client.post(reverse("set_language"), {"language": "de", "next": reverse("progress")})
    assert response.url == reverse("progress")
    body = client.get(reverse("progress")).content.decode()
    assert '<html lang="de"' in body and "Ihr Fortschritt" in body
    assert '<option value="de" lang="de" selected>Deutsch</option>' in body


def test_only_languages_with_a_catalog_are_offered_in_the_picker(client, db):
    body = client.get(reverse("home")).content.decode()
    offered = body.split('id="site-language"')[1].split("</select>")[0]
    assert offered.count("<option") == 4 and "Español" in offered and "Français" in offered


def test_the_password_reset_email_is_in_the_readers_language(client, student):
    client.post(reverse("password_reset"), {"email": student.email}, **SPANISH)
    [message] = mail.outbox
    assert "restablecer la contraseña" in message.body and "tutor de idiomas" in message.subject


def test_numbers_money_and_times_are_written_in_french():
    now = timezone.now()
    with translation.override("fr"):
        assert formatting.money(Decimal("12.5")) == "12,50 $" and formatting.money(Decimal("0.001")) == "< 0,01 $"
        assert formatting.ago(now - dt.timedelta(seconds=5), now=now) == "à l'instant"
        assert formatting.ago(now - dt.timedelta(hours=2), now=now) == "il y a 2\xa0heures"


def test_the_extractive_report_is_written_in_the_readers_language():
    french = extractive_narrative(replace(SHORT, reader_language="fr"))
    assert french.summary == (
        "1 réponse en 18 s avec Camille ; objectif atteint : 0 sur 1 ; 1 correction. Sur 1 question : réussite du "
        "premier coup pour 1, après une correction ou un indice pour 0, échec pour 0."
    )
    assert french.weak_points == ("Ordre des mots : « Je voudrait » → « Je voudrais »",)
    german = extractive_narrative(replace(SHORT, reader_language="de"))
    assert german.summary == (
        "1 Antwort in 18 s mit Camille; 0 von 1 Lernziel erreicht; 1 Korrektur. Von 1 Frage: 1 auf Anhieb richtig, "
        "0 nach einer Korrektur oder einem Tipp, 0 nicht geschafft."
    )


def test_lesson_file_problems_are_written_in_the_teachers_language():
    with translation.override("de"), pytest.raises(LessonFileError) as caught:
        parse_lesson_file("version: 1\nlessons:\n  - title: Café\n    colour: red\n")
    messages = [problem.message for problem in caught.value.problems]
    assert "Unbekanntes Feld: colour" in messages and "Das Feld language fehlt." in messages
