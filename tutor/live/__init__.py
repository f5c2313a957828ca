"""The live-session engine: plain asyncio, no Django. Providers, the runner, audio, the persona."""
