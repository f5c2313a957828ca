"""A learning platform as an LTI 1.3 tool meets it, for tests: its own RSA key and JWKS endpoint, the OIDC
authorization step of a launch (the signed id_token), the deep-linking return that checks the tool's signed answer
and makes a link with a gradebook column, the OAuth2 token endpoint (client credentials with a JWT assertion signed
by the tool's key) and the AGS score endpoint that records each score. Strict like a platform: a wrong signature,
audience, scope, content type or token is refused with the status a platform answers with."""

import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@dataclass
class Link:
    """A resource link the deep-linking answer made in a course, with its gradebook column."""

    id: str
    course: str
    title: str
    custom: dict
    lineitem: str


@dataclass
class Person:
    sub: str
    given_name: str
    family_name: str
    email: str
    roles: list[str]


@dataclass
class SimulatedPlatform:
    client_id: str = "tutor-tool"
    deployment_id: str = "deployment-1"
    key: rsa.RSAPrivateKey = field(default_factory=rsa_key)
    kid: str = field(default_factory=lambda: "platform-" + secrets.token_hex(4))
    tool_jwks: dict = field(default_factory=dict)  # the tool's public keys (its /lti/jwks.json)
    links: dict[str, Link] = field(default_factory=dict)
    scores: list[dict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    tokens: dict[str, list[str]] = field(default_factory=dict)
    unavailable: int = 0  # the next this many score posts find the gradebook down (503)
    url: str = ""

    # ---- serving --------------------------------------------------------------------------------------------
    def start(self) -> "SimulatedPlatform":
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                if self.path == "/jwks":
                    self._answer(200, platform.jwks())
                else:
                    self._answer(404, {"error": "not_found"})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlsplit(self.path).path
                if path == "/token":
                    self._answer(*platform.token(parse_qs(body.decode())))
                elif path.startswith("/lineitems/") and path.endswith("/scores"):
                    lineitem = platform.url + path.removesuffix("/scores")
                    self._answer(*platform.score(lineitem, dict(self.headers), body))
                else:
                    self._answer(404, {"error": "not_found"})

            def _answer(self, status: int, document: dict | None) -> None:
                data = json.dumps(document).encode() if document is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def issuer(self) -> str:
        return self.url

    def registration(self) -> dict:
        """What an operator types into the tool's admin for this platform."""
        return {
            "issuer": self.issuer, "client_id": self.client_id, "auth_url": f"{self.url}/authorize",
            "token_url": f"{self.url}/token", "keyset_url": f"{self.url}/jwks",
        }  # fmt: skip

    def jwks(self) -> dict:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    # ---- launches -------------------------------------------------------------------------------------------
    def login_initiation(self, *, person: Person, target_link_uri: str, hint: str = "") -> dict:
        """The third-party-initiated login parameters the platform sends the tool first."""
        return {
            "iss": self.issuer, "login_hint": person.sub, "target_link_uri": target_link_uri,
            "lti_message_hint": hint or person.sub, "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }  # fmt: skip

    def authorize(self, auth_url: str, claims: dict, *, sign_with: rsa.RSAPrivateKey | None = None,
                  expires_in: int = 300) -> dict:  # fmt: skip
        """The platform's authorization endpoint: checks the tool's request and answers with the form it posts to
        the tool's redirect_uri (id_token and state)."""
        sent = urlsplit(auth_url)
        query = {k: v[0] for k, v in parse_qs(sent.query).items()}
        assert f"{sent.scheme}://{sent.netloc}{sent.path}" == f"{self.url}/authorize", auth_url
        assert query["scope"] == "openid" and query["response_type"] == "id_token", query
        assert query["response_mode"] == "form_post" and query["prompt"] == "none", query
        assert query["client_id"] == self.client_id and query.get("nonce"), query
        now = int(time.time())
        payload = {
            "iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + expires_in, "nonce": query["nonce"],
            LTI + "deployment_id": self.deployment_id, LTI + "version": "1.3.0", **claims,
        }  # fmt: skip
        token = jwt.encode(payload, sign_with or self.key, algorithm="RS256", headers={"kid": self.kid})
        return {"id_token": token, "state": query["state"], "redirect_uri": query["redirect_uri"]}

    def course(self, course_id: str, title: str) -> dict:
        offering = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"
        return {LTI + "context": {"id": course_id, "title": title, "label": title[:8], "type": [offering]}}

    def person_claims(self, person: Person) -> dict:
        return {
            "sub": person.sub, "given_name": person.given_name, "family_name": person.family_name,
            "name": f"{person.given_name} {person.family_name}", "email": person.email, LTI + "roles": person.roles,
        }  # fmt: skip

    def deep_linking_claims(self, *, person: Person, course_id: str, title: str, return_url: str) -> dict:
        return {
            **self.person_claims(person), **self.course(course_id, title),
            LTI + "message_type": "LtiDeepLinkingRequest",
            DL + "deep_linking_settings": {
                "deep_link_return_url": return_url, "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["window"], "data": "dl-" + course_id,
            },
        }  # fmt: skip

    def resource_claims(self, *, person: Person, link: Link, target: str) -> dict:
        return {
            **self.person_claims(person), **self.course(link.course, "Course"),
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "target_link_uri": target,
            LTI + "resource_link": {"id": link.id, "title": link.title},
            LTI + "custom": link.custom,
            AGS: {"scope": [SCORE_SCOPE, LINEITEM_SCOPE], "lineitem": link.lineitem,
                  "lineitems": f"{self.url}/lineitems"},
        }  # fmt: skip

    def deep_link_return(self, answer: str, *, course_id: str) -> Link:
        """The tool's deep-linking answer, checked as a platform does (signed by a key of the tool's JWKS, for this
        platform, in answer to its request), turned into a link in the course with a gradebook column."""
        header = jwt.get_unverified_header(answer)
        key = next(k for k in self.tool_jwks["keys"] if k["kid"] == header["kid"])
        body = jwt.decode(answer, RSAAlgorithm.from_jwk(json.dumps(key)), algorithms=["RS256"], audience=self.issuer)
        assert body["iss"] == self.client_id and body[LTI + "message_type"] == "LtiDeepLinkingResponse", body
        assert body[DL + "data"] == "dl-" + course_id and body[LTI + "deployment_id"] == self.deployment_id, body
        (item,) = body[DL + "content_items"]
        assert item["type"] == "ltiResourceLink" and item["lineItem"]["scoreMaximum"] == 100, item
        link_id = "link-" + secrets.token_hex(4)
        link = Link(link_id, course_id, item["title"], item["custom"], f"{self.url}/lineitems/{link_id}")
        self.links[link_id] = link
        return link

    # ---- grades ---------------------------------------------------------------------------------------------
    def token(self, form: dict[str, list[str]]) -> tuple[int, dict]:
        field_ = {k: v[0] for k, v in form.items()}
        if field_.get("grant_type") != "client_credentials" or field_.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return self._refuse(400, "unsupported_grant_type")
        assertion = field_.get("client_assertion", "")
        try:
            header = jwt.get_unverified_header(assertion)
            key = next(k for k in self.tool_jwks["keys"] if k["kid"] == header.get("kid"))
            body = jwt.decode(assertion, RSAAlgorithm.from_jwk(json.dumps(key)), algorithms=["RS256"],
                              audience=f"{self.url}/token")  # fmt: skip
        except (jwt.InvalidTokenError, StopIteration) as exc:
            return self._refuse(401, f"invalid_client: {exc!r}")
        if body.get("iss") != self.client_id or body.get("sub") != self.client_id:
            return self._refuse(401, "invalid_client")
        scopes = field_.get("scope", "").split()
        access = uuid.uuid4().hex
        self.tokens[access] = scopes
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": 3600, "scope": " ".join(scopes)}

    def score(self, lineitem: str, headers: dict, body: bytes) -> tuple[int, dict | None]:
        if self.unavailable > 0:
            self.unavailable -= 1
            return self._refuse(503, "gradebook unavailable")
        authorization = headers.get("Authorization", "")
        scopes = self.tokens.get(authorization.removeprefix("Bearer "), [])
        if SCORE_SCOPE not in scopes:
            return self._refuse(401, "no token with the score scope")
        if headers.get("Content-Type") != SCORE_TYPE:
            return self._refuse(415, f"content type {headers.get('Content-Type')}")
        if lineitem not in {link.lineitem for link in self.links.values()}:
            return self._refuse(404, "no such line item")
        score = json.loads(body)
        missing = {"userId", "scoreGiven", "scoreMaximum", "activityProgress", "gradingProgress", "timestamp"} - set(
            score
        )
        if missing:
            return self._refuse(400, f"missing {sorted(missing)}")
        self.scores.append({"lineitem": lineitem, **score})
        return 200, None

    def _refuse(self, status: int, why: str) -> tuple[int, dict]:
        self.refused.append(why)
        return status, {"error": why}
