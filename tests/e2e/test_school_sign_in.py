"""Signing in with the school's accounts in Chromium, against a real OpenID provider in its own process
(tests/fakes/oidc_provider/) and the app in Daphne configured for it by the environment, as an operator would:
a student and a teacher sign in and land on their pages; an address of another domain, an id_token with a broken
signature and a replayed answer each end on a page that says why, and no account is made."""

import pytest

from accounts.models import Role, User
from tests.fakes.oidc_provider.process import USERS, oidc_provider
from tests.servers import DaphneProcess

from .audio import quiet, write_wav
from .conftest import orm, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LEA, ROUX, OUTSIDER = USERS


def _sign_in(page, base_url: str, person: dict) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.click("#school-sign-in")
    page.fill("#provider-username", person["username"])
    page.fill("#provider-password", person["password"])
    page.click("#provider-submit")


def _accounts(email: str) -> int:
    return User.objects.filter(email__iexact=email).count()


def test_students_and_teachers_sign_in_through_the_schools_provider_and_refusals_say_why(
    chromium, artifacts, shots, tmp_path
):
    daphne = DaphneProcess(artifacts / "daphne.log")
    with oidc_provider(tmp_path / "provider", tool_url=daphne.url) as provider:
        daphne.environment.update(provider.settings())
        daphne.start()
        try:
            browser = chromium(write_wav(tmp_path / "silence.wav", quiet(500)))

            # A student: the login page's button, the provider's form, back on the student's home.
            context = browser.new_context(locale="en")
            page = context.new_page()
            errors = watch(page)
            page.goto(f"{daphne.url}/accounts/login/")
            assert page.locator("#school-sign-in").inner_text() == "Sign in with École Test"
            shots.take(page, "login-page")
            callbacks: list[str] = []
            page.on("request", lambda r: callbacks.append(r.url) if "/accounts/oidc/callback/" in r.url else None)
            _sign_in(page, daphne.url, LEA)
            page.wait_for_url(f"{daphne.url}/")
            assert "Léa Moreau" in page.locator(".site-header .who").inner_text()
            shots.take(page, "student-signed-in")
            student = orm(User.objects.get, email=LEA["email"])
            assert student.role == Role.STUDENT

            # The provider's answer replayed: refused, nothing new.
            page.goto(callbacks[-1])
            page.locator("[data-refusal=state]").wait_for()
            shots.take(page, "replayed-answer-refused")
            assert orm(_accounts, LEA["email"]) == 1
            assert errors == []
            context.close()

            # A teacher: lands on the teacher's home, with the teacher's pages.
            context = browser.new_context(locale="en")
            page = context.new_page()
            _sign_in(page, daphne.url, ROUX)
            page.wait_for_url(f"{daphne.url}/")
            page.locator("nav.main-nav a[href='/teach/lessons/']").wait_for()
            shots.take(page, "teacher-signed-in")
            assert orm(User.objects.get, email=ROUX["email"]).role == Role.TEACHER
            context.close()

            # Another domain: refused, in French for a French browser, and no account made.
            context = browser.new_context(locale="fr", extra_http_headers={"Accept-Language": "fr"})
            page = context.new_page()
            _sign_in(page, daphne.url, OUTSIDER)
            page.locator("[data-refusal=domain]").wait_for()
            assert page.evaluate("document.documentElement.lang") == "fr"
            assert "school's" not in page.locator("main").inner_text()
            shots.take(page, "other-domain-refused-fr")
            assert orm(_accounts, OUTSIDER["email"]) == 0
            context.close()

            # A provider whose id_token's signature is broken: refused, no account made.
            provider.tamper(True)
            context = browser.new_context(locale="en")
            page = context.new_page()
            orm(User.objects.filter(email=LEA["email"]).delete)
            _sign_in(page, daphne.url, LEA)
            page.locator("[data-refusal=token]").wait_for()
            shots.take(page, "bad-signature-refused")
            assert orm(_accounts, LEA["email"]) == 0
            context.close()
        finally:
            daphne.stop()
