"""A real redis-server for the class tests (Debian's package; .ci/run installs it): started on a
free port with nothing saved to disk, stopped by its own PID. Without one, the Redis tests skip
with a line on how to enable them; with CI=true they fail."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time

import pytest

from tests.serve import free_port

REDIS_MISSING = "redis-server is missing: the Redis class tests run after `apt-get install -y redis-server`"


@contextlib.contextmanager
def redis_server():
    """Yields the URL of a fresh redis-server."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{REDIS_MISSING} (CI=true: the Redis tests must run)", pytrace=False)
        pytest.skip(REDIS_MISSING)
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)
