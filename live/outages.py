"""What counts as an outage of the services a live socket needs (the database, the cache and channel layer on
Redis): met while a browser connects, the socket is closed with 4503 and a retry hint (docs/protocol.md),
never with an exception's 1011."""

from django.db import DatabaseError
from redis.exceptions import RedisError

OUTAGES = (DatabaseError, RedisError, OSError)
RETRY_AFTER_SECONDS = 1
