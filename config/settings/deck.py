"""The learning loop's deck: how FSRS schedules it and how many new cards a day a review offers."""

from .env import env

# The share of cards a student should still recall when they come due (FSRS's desired retention).
DECK_DESIRED_RETENTION = env.float("DECK_DESIRED_RETENTION", default=0.9)
# Intervals of a few days or more are spread by a little random fuzz, so cards made together do not all come
# due on the same day (FSRS's enable_fuzzing).
DECK_FUZZ_INTERVALS = env.bool("DECK_FUZZ_INTERVALS", default=True)
DECK_NEW_CARDS_PER_DAY = env.int("DECK_NEW_CARDS_PER_DAY", default=20)
