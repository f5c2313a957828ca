"""The app's own 404, 403 and 500 pages, in the site's style and the reader's language, and its icon."""

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse


def test_a_missing_page_gets_the_apps_404_page(client, student):
    client.force_login(student)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "This page does not exist" in body and "css/app.css" in body and 'href="/"' in body


def test_a_student_on_a_teachers_page_gets_the_apps_403_page(client, student):
    client.force_login(student)
    response = client.get(reverse("teach:lesson_list"))
    assert response.status_code == 403 and "This page is not open to your account" in response.content.decode()


def test_an_expired_form_says_so_in_product_words(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post(reverse("logout"))
    assert response.status_code == 403 and "This form has expired" in response.content.decode()


def test_the_500_page_renders_without_a_request():
    body = render_to_string("500.html")
    assert "Something went wrong on our side" in body and "css/app.css" in body and "Log in" in body


def test_every_page_names_its_icon_and_favicon_ico_leads_to_it(client, db):
    assert 'rel="icon" href="/static/favicon.svg"' in client.get(reverse("home")).content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/favicon.svg"
