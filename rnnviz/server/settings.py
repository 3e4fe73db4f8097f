"""Server settings read from the environment, once, in one place (README "Configuration")."""

from __future__ import annotations

import os


def _number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


REDIS_URL = os.environ.get("RNNVIZ_REDIS_URL", "")  # empty: classes live in this process
CLASS_MAX = int(_number("RNNVIZ_CLASS_MAX", 20))  # classes at once on the server (or the Redis)
CLASS_MEMBERS = int(_number("RNNVIZ_CLASS_MEMBERS", 80))  # students in one class
CLASS_IDLE_S = _number("RNNVIZ_CLASS_IDLE_S", 3 * 3600)  # a class nobody drove for this long expires
TEACHER_GONE_S = _number("RNNVIZ_TEACHER_GONE_S", 20)  # a teacher's page silent this long has left
