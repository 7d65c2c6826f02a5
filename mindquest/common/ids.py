"""Primary keys for the tables that grow with every quiz.

A version 4 UUID is random, so each new row's key lands on a random page of the primary key's
index (and of every index that starts with it, as a quiz's items' do): once those indexes
outgrow the database's cache, nearly every insert reads and dirties a page of its own. A version
7 UUID (RFC 9562) starts with the time in milliseconds, so new keys go to the indexes' right
edge, where the pages are already in memory; the rest is random, so keys are still unguessable.
Python 3.14 has uuid.uuid7; this is the same layout for 3.12 and 3.13."""

import os
import time
import uuid
from datetime import datetime


def uuid7(at: datetime | None = None) -> uuid.UUID:
    """A version 7 UUID: 48 bits of Unix time in milliseconds (now, or `at`), then the version,
    74 random bits around the variant."""
    millis = time.time_ns() // 1_000_000 if at is None else int(at.timestamp() * 1000)
    random = int.from_bytes(os.urandom(10))  # 80 bits; 74 are kept
    value = (
        (millis & 0xFFFF_FFFF_FFFF) << 80
        | 0x7 << 76  # version
        | (random >> 68) << 64  # 12 random bits
        | 0b10 << 62  # the RFC's variant
        | random & (1 << 62) - 1  # 62 random bits
    )
    return uuid.UUID(int=value)
