"""End-to-end tests: Daphne in a subprocess, Debian's Chromium driven by Playwright."""
