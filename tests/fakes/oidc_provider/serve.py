"""Run the test provider: `python -m tests.fakes.oidc_provider.serve PORT` with OIDC_PROVIDER_DATA naming a folder
that holds signing-key.pem and client.json ({client_id, client_secret, redirect_uri, post_logout_redirect_uri,
users: [{username, password, email, first_name, last_name, role}]}). It migrates its own database, makes the users
and the client, prints "ready" and serves until stopped."""

import json
import os
import sys
from pathlib import Path


def main(port: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.fakes.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    config = json.loads((Path(os.environ["OIDC_PROVIDER_DATA"]) / "client.json").read_text())
    call_command("migrate", verbosity=0)
    for person in config["users"]:
        user = User.objects.create_user(
            person["username"], person["email"], person["password"],
            first_name=person["first_name"], last_name=person["last_name"],
        )  # fmt: skip
        user.groups.add(Group.objects.get_or_create(name=person["role"])[0])
    get_application_model().objects.create(
        name="Language tutor",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=config["redirect_uri"],
        post_logout_redirect_uris=config["post_logout_redirect_uri"],
        algorithm="RS256",
        skip_authorization=True,
    )
    print("ready", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
