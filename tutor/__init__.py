"""The engine of a live tutoring session: plain asyncio, no Django (docs/architecture.md, "The engine").
Browser input and provider events in, turns, notes and tutor audio out, through the runner of tutor/session/."""
