"""The live audio path under load (bench/bench_relay.py): an upstream that speaks Gemini Live's wire
protocol and echoes audio at once, a minimal relay as the floor, a raw ASGI relay, and a load of students."""
