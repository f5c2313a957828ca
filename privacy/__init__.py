"""A learner's data, theirs: everything the app holds about a student as one archive, their erasure, and the
retention of transcripts (docs/privacy.md)."""
