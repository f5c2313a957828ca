"""The simulated platform for every LTI test (tests/lti/launching.py)."""

from tests.lti.launching import platform  # noqa: F401 (a fixture)
