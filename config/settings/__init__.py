"""Settings: `base` reads the environment; `test` overrides it for pytest."""
