"""A class led by a teacher: a join code, the view the teacher is on, a question to the class and
its answers, kept in a store (rnnviz.server.store) so that every replica sees the same class.

- `start()` gives a join code (6 characters of 31 that cannot be misread: 887 million codes, so
  trying a few finds nothing) and a secret that only the teacher's browser session keeps; the store
  holds the secret's hash. Every change a teacher makes is checked against it: a student cannot drive.
- `publish()` records the teacher's page and URL parameters under a new version; a follower that
  sees a newer version moves to it.
- `ask()` puts a question (choice or number) to the class; `answer()` records one anonymous answer
  per member who joined (a random token a browser session makes; nothing personal); only the
  question on screen keeps its answers; `tally()` counts
  them; `reveal()` shows the computed answer when the teacher chooses.
- Limits: at most CLASS_MAX classes, CLASS_MEMBERS members a class; a class nobody drove for
  CLASS_IDLE_S expires; a teacher whose page has been silent for TEACHER_GONE_S has left.
Every refusal is a rnnviz.messages.Message, in English and 简体中文.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from rnnviz.messages import say
from rnnviz.server import settings
from rnnviz.server.store import MemoryStore, Store

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: a code read off a projector is typed right
CODE_LENGTH = 6
MAX_TEXT = 300  # characters of a question
MAX_OPTIONS = 6
MAX_OPTION = 60  # characters of an option
MAX_QUERY = 4000  # characters of a view's URL parameters


class ClassError(ValueError):
    """Something a class cannot do; the message says why and what to do."""


@dataclass(frozen=True)
class Question:
    """A question to the class: its text (or a lesson step's key, worded by the page in the
    reader's language), choice options or none (a number), and the answer if known."""

    id: str
    kind: str  # "choice" or "number"
    text: str = ""
    step: str = ""  # a lesson step's key, or "" for a question the teacher typed
    options: tuple[str, ...] = ()
    answer: str = ""

    def to_json(self) -> str:
        return json.dumps({"id": self.id, "kind": self.kind, "text": self.text, "step": self.step,
                           "options": list(self.options), "answer": self.answer})

    @staticmethod
    def from_json(text: str) -> Question | None:
        if not text:
            return None
        data = json.loads(text)
        return Question(data["id"], data["kind"], data["text"], data["step"], tuple(data["options"]),
                        data["answer"])


@dataclass(frozen=True)
class ClassView:
    """What a class shows now: the teacher's page and URL parameters under a version, the question."""

    code: str
    version: int
    page: str
    query: dict = field(default_factory=dict)
    question: Question | None = None
    revealed: bool = False
    teacher_silent_s: float = 0.0


@dataclass(frozen=True)
class Tally:
    """How many answered, and how many gave each answer (most given first)."""

    answered: int
    counts: tuple[tuple[str, int], ...]


def normal_code(text: str) -> str:
    """A code as typed or scanned ("abc-234", " ABC 234 ") in its one spelling."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())[:CODE_LENGTH * 2]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Classroom:
    """Classes in `store`; `clock` is wall time (a class may span machines)."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time, most: int = settings.CLASS_MAX,
                 members: int = settings.CLASS_MEMBERS, idle_s: float = settings.CLASS_IDLE_S,
                 teacher_gone_s: float = settings.TEACHER_GONE_S):
        self.store, self.clock = store, clock
        self.most, self.members, self.idle_s, self.teacher_gone_s = most, members, idle_s, teacher_gone_s

    def start(self) -> tuple[str, str]:
        """A new class: (join code, the teacher's secret)."""
        secret = secrets.token_urlsafe(24)
        for _ in range(20):
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            fields = {"secret": _hash(secret), "version": "0", "page": "", "query": "{}", "question": "",
                      "revealed": "0", "teacher_seen": repr(self.clock())}
            if self.store.add_class(code, fields, self.idle_s, self.most):
                return code, secret
            if self.store.count() >= self.most:
                raise ClassError(say("class_server_full", most=self.most))
        raise ClassError(say("class_server_full", most=self.most))  # 20 collisions: as good as full

    def _fields(self, code: str) -> dict[str, str]:
        found = self.store.fields(normal_code(code))
        if not found:
            raise ClassError(say("class_unknown", code=normal_code(code) or "—"))
        return found

    def view(self, code: str) -> ClassView:
        """The class now; ClassError if the code does not exist or has expired."""
        found = self._fields(code)
        return ClassView(code=normal_code(code), version=int(found["version"]), page=found["page"],
                         query=json.loads(found["query"]), question=Question.from_json(found["question"]),
                         revealed=found["revealed"] == "1",
                         teacher_silent_s=max(self.clock() - float(found["teacher_seen"]), 0.0))

    def join(self, code: str, member: str) -> ClassView:
        """`member` (a random token of one browser session) joins; ClassError if the class is full."""
        view = self.view(code)
        now = self.clock()
        present = self.store.bucket(view.code, "members")
        living = {name for name, seen in present.items() if now - float(seen) < self.idle_s}
        if member not in living and len(living) >= self.members:
            raise ClassError(say("class_full", most=self.members))
        self.store.put(view.code, "members", member, repr(now), self.idle_s)
        return view

    def _teacher(self, code: str, secret: str) -> str:
        found = self._fields(code)
        if not secret or not hmac.compare_digest(found["secret"], _hash(secret)):
            raise ClassError(say("class_not_teacher"))
        return normal_code(code)

    def publish(self, code: str, secret: str, page: str, query: dict) -> int:
        """The teacher is on `page` with `query`: followers move there. Returns the new version."""
        code = self._teacher(code, secret)
        text = json.dumps({str(k): str(v) for k, v in query.items()}, sort_keys=True)
        if len(text) > MAX_QUERY or len(page) > 100:
            raise ClassError(say("class_view_too_long"))
        return self.store.update(code, {"page": page, "query": text, "teacher_seen": repr(self.clock())},
                                 self.idle_s, bump="version")

    def resume(self, code: str, secret: str) -> str:
        """The teacher leads again from a new session (a reload, another browser) with the class's key;
        ClassError if the class is gone or the key is not its teacher's. Returns the code."""
        code = self._teacher(code, secret.strip())
        self.heartbeat(code, secret.strip())
        return code

    def heartbeat(self, code: str, secret: str) -> None:
        """The teacher's page is still open."""
        self.store.update(self._teacher(code, secret), {"teacher_seen": repr(self.clock())}, self.idle_s)

    def ask(self, code: str, secret: str, kind: str, text: str = "", step: str = "",
            options: tuple[str, ...] = (), answer: str = "") -> Question:
        """Put a question to the class (the previous one's answers stay with it)."""
        code = self._teacher(code, secret)
        options = tuple(str(o).strip() for o in options if str(o).strip())
        if kind not in ("choice", "number") or not (text.strip() or step) or len(text) > MAX_TEXT \
                or (kind == "choice" and not 2 <= len(options) <= MAX_OPTIONS) \
                or any(len(o) > MAX_OPTION for o in options) or len(set(options)) != len(options):
            raise ClassError(say("class_question_invalid", most=MAX_OPTIONS, text=MAX_TEXT,
                                 option=MAX_OPTION))
        question = Question(secrets.token_hex(6), kind, text.strip(), step, options, str(answer)[:MAX_OPTION])
        previous = Question.from_json(self.store.fields(code).get("question", ""))
        self.store.update(code, {"question": question.to_json(), "revealed": "0"}, self.idle_s)
        if previous is not None:  # only the question on screen keeps its answers
            self.store.drop_bucket(code, f"answers:{previous.id}")
        return question

    def reveal(self, code: str, secret: str, shown: bool = True) -> None:
        self.store.update(self._teacher(code, secret), {"revealed": "1" if shown else "0"}, self.idle_s)

    def answer(self, code: str, member: str, question_id: str, value: str) -> str:
        """`member`'s answer to the question on screen (a later answer replaces an earlier one);
        returns the answer as recorded."""
        view = self.view(code)
        if member not in self.store.bucket(view.code, "members"):
            raise ClassError(say("class_not_member"))
        question = view.question
        if question is None or question.id != question_id:
            raise ClassError(say("class_question_gone"))
        value = str(value).strip()
        if question.kind == "choice" and value not in question.options:
            raise ClassError(say("class_answer_choice"))
        if question.kind == "number":
            try:
                number = float(value.replace(",", ""))
            except ValueError:
                raise ClassError(say("class_answer_number")) from None
            if not math.isfinite(number) or abs(number) > 1e12:
                raise ClassError(say("class_answer_number"))
            value = f"{number:g}"
        self.store.put(view.code, f"answers:{question.id}", member, value, self.idle_s)
        return value

    def tally(self, code: str, question_id: str) -> Tally:
        answers = self.store.bucket(normal_code(code), f"answers:{question_id}")
        counts = Counter(answers.values())
        return Tally(len(answers), tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))

    def end(self, code: str, secret: str) -> None:
        self.store.drop(self._teacher(code, secret))


_CLASSROOM: Classroom | None = None


def classroom() -> Classroom:
    """This server's classes: in Redis when RNNVIZ_REDIS_URL is set, else in this process."""
    global _CLASSROOM
    if _CLASSROOM is None:
        if settings.REDIS_URL:
            import redis

            from rnnviz.server.store import RedisStore

            _CLASSROOM = Classroom(RedisStore(redis.Redis.from_url(settings.REDIS_URL)))
        else:
            _CLASSROOM = Classroom(MemoryStore(clock=time.time))
    return _CLASSROOM
