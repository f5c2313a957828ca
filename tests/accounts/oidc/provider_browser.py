"""What a browser does at the school's provider, for tests without one: follow the authorization request to the
provider's login form, sign in, and come back with the provider's redirect to the tool's callback."""

import re
from urllib.parse import urljoin, urlsplit

import requests


def sign_in_at_provider(auth_url: str, username: str, password: str, session: requests.Session | None = None) -> str:
    """The path and query of the tool's callback the provider sends the browser to."""
    browser = session or requests.Session()
    asked = browser.get(auth_url, allow_redirects=False, timeout=15)
    assert asked.status_code == 302, asked.text
    login_url = urljoin(auth_url, asked.headers["Location"])
    form = browser.get(login_url, timeout=15)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    next_url = re.search(r'name="next" value="([^"]*)"', form.text).group(1).replace("&amp;", "&")
    signed_in = browser.post(
        login_url,
        data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": next_url},
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=15,
    )
    assert signed_in.status_code == 302, signed_in.text
    authorized = browser.get(urljoin(auth_url, signed_in.headers["Location"]), allow_redirects=False, timeout=15)
    assert authorized.status_code == 302, authorized.text
    callback = urlsplit(authorized.headers["Location"])
    return f"{callback.path}?{callback.query}"
