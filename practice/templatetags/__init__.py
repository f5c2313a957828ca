"""Template filters of the tutor app."""
