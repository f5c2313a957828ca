"""Providers: one contract (base.py), three implementations (gemini, openai_realtime, offline)."""
