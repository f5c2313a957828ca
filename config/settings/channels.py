"""Channels: the Redis layer when REDIS_URL is set (several Daphne processes), else in-memory."""

from .env import REDIS_URL, env

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # The layer waits for messages with BZPOPMIN for 5 s at a time; redis-py's own
                        # default read timeout is also 5 s, so an idle socket's receive used to time out
                        # and close the WebSocket with 1011. Reads may take longer than the layer's wait.
                        "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT_SECONDS", default=30.0),
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                        "health_check_interval": 30,
                    }
                ],
                "capacity": 500,
                "expiry": 30,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
