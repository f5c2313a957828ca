"""The student pages and the live page's scripts speak French to a browser that asks for it."""

from django.urls import reverse

from practice.services.sessions import session_create

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}


def test_the_dashboard_is_in_french(client, student, classroom):
    client.force_login(student)
    body = client.get(reverse("home"), **FRENCH).content.decode()
    assert '<html lang="fr" dir="ltr">' in body
    assert "Assignées à vous" in body and "Commencer Café in Lyon" in body


def test_the_live_page_and_its_script_strings_are_in_french(client, student, lesson):
    session = session_create(student=student, lesson=lesson)
    client.force_login(student)
    page = client.get(reverse("session_live", args=[session.pk]), **FRENCH).content.decode()
    assert "Commencer la conversation" in page and "Écrivez votre réponse" in page
    catalog = client.get(reverse("javascript_catalog"), **FRENCH).content.decode()
    assert '"Live": "En direct"' in catalog and "L'acc\\u00e8s au micro est bloqu\\u00e9" in catalog


def test_plural_forms_follow_french_rules(client, student):
    client.force_login(student)
    body = client.get(reverse("home"), **FRENCH).content.decode()
    assert "jour d'affilée" in body  # 0 days: singular in French
