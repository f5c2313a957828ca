"""A learner launched from a simulated learning platform is erased like any other (tests/lti/launching.py)."""

from tests.lti.launching import platform  # noqa: F401 (a fixture)
