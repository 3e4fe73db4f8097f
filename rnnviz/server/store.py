"""Where classes live: one small interface, two implementations.

`MemoryStore` keeps them in this process (the default: one server, nothing to install);
`RedisStore` keeps them in Redis, so that several replicas behind a sticky proxy share a class
(RNNVIZ_REDIS_URL). A class is a record of string fields that expires when idle, plus named
buckets of string values under it (its members, the answers to a question), which expire with
it. Every operation is one round trip, and adding a class is atomic with the server's cap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class Store(Protocol):
    def add_class(self, code: str, fields: dict[str, str], ttl: float, most: int) -> bool:
        """Create `code` with `fields` unless it exists or `most` classes live already."""

    def fields(self, code: str) -> dict[str, str]:
        """The class's fields ({} if it does not exist or has expired)."""

    def update(self, code: str, fields: dict[str, str], ttl: float, bump: str = "") -> int:
        """Set `fields` (and add 1 to the field `bump`, returning it) on a living class, and keep
        it (and its buckets) alive for `ttl` more seconds; -1 if the class is gone."""

    def put(self, code: str, bucket: str, name: str, value: str, ttl: float) -> None:
        """Set `name` to `value` in the class's `bucket`."""

    def bucket(self, code: str, bucket: str) -> dict[str, str]:
        """Every name and value in the class's `bucket`."""

    def drop_bucket(self, code: str, bucket: str) -> None:
        """Remove one bucket of the class."""

    def drop(self, code: str) -> None:
        """Remove the class and its buckets."""

    def count(self) -> int:
        """Living classes."""


class MemoryStore:
    """Classes in this process's memory, behind one lock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._classes: dict[str, tuple[dict[str, str], float]] = {}
        self._buckets: dict[tuple[str, str], dict[str, str]] = {}

    def _expire(self) -> None:
        now = self.clock()
        for code in [code for code, (_, until) in self._classes.items() if until <= now]:
            self._remove(code)

    def _remove(self, code: str) -> None:
        self._classes.pop(code, None)
        for key in [key for key in self._buckets if key[0] == code]:
            del self._buckets[key]

    def add_class(self, code: str, fields: dict[str, str], ttl: float, most: int) -> bool:
        with self._lock:
            self._expire()
            if code in self._classes or len(self._classes) >= most:
                return False
            self._classes[code] = (dict(fields), self.clock() + ttl)
            return True

    def fields(self, code: str) -> dict[str, str]:
        with self._lock:
            self._expire()
            found = self._classes.get(code)
            return dict(found[0]) if found else {}

    def update(self, code: str, fields: dict[str, str], ttl: float, bump: str = "") -> int:
        with self._lock:
            self._expire()
            if code not in self._classes:
                return -1
            record = self._classes[code][0]
            record.update(fields)
            value = 0
            if bump:
                value = int(record.get(bump, "0")) + 1
                record[bump] = str(value)
            self._classes[code] = (record, self.clock() + ttl)
            return value

    def put(self, code: str, bucket: str, name: str, value: str, ttl: float) -> None:
        with self._lock:
            if code in self._classes:
                self._buckets.setdefault((code, bucket), {})[name] = value

    def bucket(self, code: str, bucket: str) -> dict[str, str]:
        with self._lock:
            self._expire()
            return dict(self._buckets.get((code, bucket), {}))

    def drop_bucket(self, code: str, bucket: str) -> None:
        with self._lock:
            self._buckets.pop((code, bucket), None)

    def drop(self, code: str) -> None:
        with self._lock:
            self._remove(code)

    def count(self) -> int:
        with self._lock:
            self._expire()
            return len(self._classes)


class RedisStore:
    """Classes in Redis: a hash per class, a hash per bucket, and a sorted set of living classes
    by expiry time (for the cap). Keys start with `prefix`."""

    def __init__(self, client, prefix: str = "rnnviz:"):
        self.client, self.prefix = client, prefix
        self._add = client.register_script(
            "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])\n"
            "if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end\n"
            "if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end\n"
            "redis.call('HSET', KEYS[2], unpack(ARGV, 6))\n"
            "redis.call('PEXPIRE', KEYS[2], ARGV[3])\n"
            "redis.call('ZADD', KEYS[1], ARGV[4], ARGV[5])\n"
            "return 1")

    def _key(self, code: str, bucket: str = "") -> str:
        return f"{self.prefix}class:{code}" + (f":{bucket}" if bucket else "")

    @property
    def _living(self) -> str:
        return f"{self.prefix}classes"

    def add_class(self, code: str, fields: dict[str, str], ttl: float, most: int) -> bool:
        now = time.time()
        flat = [item for pair in fields.items() for item in pair]
        return bool(self._add(keys=[self._living, self._key(code)],
                              args=[now, most, int(ttl * 1000), now + ttl, code, *flat]))

    def fields(self, code: str) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.client.hgetall(self._key(code)).items()}

    def update(self, code: str, fields: dict[str, str], ttl: float, bump: str = "") -> int:
        key = self._key(code)
        if not self.client.exists(key):
            return -1
        with self.client.pipeline() as pipe:
            if fields:
                pipe.hset(key, mapping=fields)
            if bump:
                pipe.hincrby(key, bump, 1)
            pipe.pexpire(key, int(ttl * 1000))
            pipe.zadd(self._living, {code: time.time() + ttl})
            for bucket in self.client.scan_iter(f"{key}:*"):
                pipe.pexpire(bucket, int(ttl * 1000))
            results = pipe.execute()
        return int(results[1 if fields else 0]) if bump else 0

    def put(self, code: str, bucket: str, name: str, value: str, ttl: float) -> None:
        with self.client.pipeline() as pipe:
            pipe.hset(self._key(code, bucket), name, value)
            pipe.pexpire(self._key(code, bucket), int(ttl * 1000))
            pipe.execute()

    def bucket(self, code: str, bucket: str) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.client.hgetall(self._key(code, bucket)).items()}

    def drop_bucket(self, code: str, bucket: str) -> None:
        self.client.delete(self._key(code, bucket))

    def drop(self, code: str) -> None:
        keys = [self._key(code), *self.client.scan_iter(f"{self._key(code)}:*")]
        with self.client.pipeline() as pipe:
            pipe.delete(*keys)
            pipe.zrem(self._living, code)
            pipe.execute()

    def count(self) -> int:
        self.client.zremrangebyscore(self._living, "-inf", time.time())
        return int(self.client.zcard(self._living))
