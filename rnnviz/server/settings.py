"""Server settings read from the environment, once, in one place (README "Configuration")."""

from __future__ import annotations

import os


def _number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


CORES = os.cpu_count() or 1
SERVER_BUDGET_MB = _number("RNNVIZ_SERVER_BUDGET_MB", 1200)  # what the server keeps and builds, in bytes
CACHE_TTL_S = _number("RNNVIZ_CACHE_TTL_S", 300)  # a cached run nobody looked at for this long goes
HEAVY_MB = _number("RNNVIZ_HEAVY_MB", 50)  # runs estimated above this are heavy
HEAVY_SLOTS = int(_number("RNNVIZ_HEAVY_SLOTS", CORES))  # heavy runs at once
LIGHT_THREADS = int(_number("RNNVIZ_TORCH_THREADS", 1))  # torch threads of a light run
TRAIN_SLOTS = int(_number("RNNVIZ_TRAIN_SLOTS", CORES))  # trainings at once; more wait in a queue
TRAIN_SECONDS = _number("RNNVIZ_TRAIN_SECONDS", 60)  # the longest one run of a training lasts
REDIS_URL = os.environ.get("RNNVIZ_REDIS_URL", "")  # empty: classes live in this process
CLASS_MAX = int(_number("RNNVIZ_CLASS_MAX", 20))  # classes at once on the server (or the Redis)
CLASS_MEMBERS = int(_number("RNNVIZ_CLASS_MEMBERS", 80))  # students in one class
CLASS_IDLE_S = _number("RNNVIZ_CLASS_IDLE_S", 3 * 3600)  # a class nobody drove for this long expires
TEACHER_GONE_S = _number("RNNVIZ_TEACHER_GONE_S", 20)  # a teacher's page silent this long has left
