"""Classes in both stores: in this process and in a real Redis. Codes, the teacher's secret,
following a view, questions and answers, limits and expiry."""

from __future__ import annotations

import pytest
import redis

from rnnviz.server.classes import ALPHABET, CODE_LENGTH, ClassError, Classroom, normal_code
from rnnviz.server.store import MemoryStore, RedisStore
from tests.redis_server import redis_server


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture(params=["memory", "redis"])
def make(request):
    """make(**limits) -> (Classroom, clock) on a fresh store of the parametrised kind."""
    made = []

    def build(**limits):
        clock = Clock()
        if request.param == "memory":
            store = MemoryStore(clock=clock)
        else:
            client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
            client.flushdb()
            store = RedisStore(client, prefix=f"test{len(made)}:")
        made.append(store)
        return Classroom(store, clock=clock, **limits), clock

    return build


def test_a_teacher_drives_and_a_student_cannot(make):
    room, _ = make()
    code, secret = room.start()
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    view = room.join(code.lower()[:3] + "-" + code.lower()[3:], "student-1")  # typed as it is read
    assert (view.code, view.version, view.page) == (code, 0, "")
    assert room.publish(code, secret, "lstm", {"hidden_size": 20, "bidirectional": True}) == 1
    assert room.publish(code, secret, "gru", {"hidden_size": 8}) == 2
    seen = room.view(code)
    assert (seen.version, seen.page, seen.query) == (2, "gru", {"hidden_size": "8"})
    last_changed = secret[:-1] + ("y" if secret.endswith("x") else "x")  # never the secret itself
    for wrong in ("", "guess", last_changed):
        with pytest.raises(ClassError, match="only the teacher's browser"):
            room.publish(code, wrong, "rnn", {})
    assert room.view(code).version == 2


def test_an_unknown_or_expired_code_says_so(make):
    room, clock = make(idle_s=60)
    with pytest.raises(ClassError, match="there is no class ABC234"):
        room.view("abc 234")
    code, secret = room.start()
    clock.now += 59
    room.publish(code, secret, "lstm", {})  # driving keeps it alive
    clock.now += 59
    assert room.view(code).page == "lstm"
    if isinstance(room.store, RedisStore):  # Redis expires by its own clock: expire the key now
        room.store.client.pexpire(room.store._key(code), 1)
        import time

        time.sleep(0.05)
    else:
        clock.now += 61
    with pytest.raises(ClassError, match=f"there is no class {code}"):
        room.view(code)


def test_limits_on_classes_and_members(make):
    room, _ = make(most=2, members=3)
    code, _ = room.start()
    room.start()
    with pytest.raises(ClassError, match="already runs 2 classes"):
        room.start()
    for member in ("a", "b", "c"):
        room.join(code, member)
    room.join(code, "b")  # a member who rejoins is not counted twice
    with pytest.raises(ClassError, match="already has 3 students"):
        room.join(code, "d")


def test_a_question_its_answers_and_the_tally(make):
    room, _ = make()
    code, secret = room.start()
    question = room.ask(code, secret, "choice", text="Which gate keeps c?", options=("f", "i", "o"),
                        answer="f")
    with pytest.raises(ClassError, match="join the class first"):
        room.answer(code, "a", question.id, "f")
    for member in "abcde":
        room.join(code, member)
    for member, value in (("a", "f"), ("b", "f"), ("c", "i"), ("a", "o")):  # a's second replaces the first
        room.answer(code, member, question.id, value)
    tally = room.tally(code, question.id)
    assert tally.answered == 3 and dict(tally.counts) == {"f": 1, "i": 1, "o": 1}
    with pytest.raises(ClassError, match="choose one of the options"):
        room.answer(code, "d", question.id, "z")
    assert not room.view(code).revealed
    room.reveal(code, secret)
    assert room.view(code).revealed and room.view(code).question.answer == "f"
    number = room.ask(code, secret, "number", step="vanishing", answer="24")
    assert not room.view(code).revealed  # a new question starts hidden
    with pytest.raises(ClassError, match="moved on to another question"):
        room.answer(code, "a", question.id, "f")
    assert room.tally(code, question.id).answered == 0  # only the question on screen keeps its answers
    for member, value in (("a", "24"), ("b", " 24.0 "), ("c", "1,000"), ("d", "25")):
        room.answer(code, member, number.id, value)
    assert dict(room.tally(code, number.id).counts) == {"24": 2, "1000": 1, "25": 1}
    for bad in ("x", "nan", "inf", "1e300"):
        with pytest.raises(ClassError, match="type a number"):
            room.answer(code, "e", number.id, bad)
    with pytest.raises(ClassError, match="only the teacher's browser"):
        room.ask(code, "not the secret", "number", text="?")
    for kind, options in (("choice", ("one",)), ("choice", ("a", "a")), ("poll", ())):
        with pytest.raises(ClassError, match="a question needs its words"):
            room.ask(code, secret, kind, text="Q", options=options)


def test_ending_a_class_tells_the_followers(make):
    room, clock = make(teacher_gone_s=20)
    code, secret = room.start()
    clock.now += 30
    assert room.view(code).teacher_silent_s == 30  # the page tells a follower the teacher left
    room.heartbeat(code, secret)
    assert room.view(code).teacher_silent_s == 0
    room.end(code, secret)
    with pytest.raises(ClassError, match="there is no class"):
        room.view(code)


def test_codes_are_spelled_one_way():
    assert normal_code(" ab-c 234 ") == "ABC234"
    assert normal_code("<script>") == "SCRIPT"


def test_a_teacher_leads_again_with_the_classes_key_and_nobody_else_can(make):
    room, clock = make()
    code, secret = room.start()
    other_code, other_secret = room.start()
    room.publish(code, secret, "lstm", {"hidden_size": 20})
    clock.now += 30  # the teacher reloaded: a new session knows only what the teacher typed
    assert room.resume(code.lower(), f" {secret} ") == code
    assert room.view(code).teacher_silent_s == 0  # back: followers are not told the teacher left
    assert room.publish(code, secret, "gru", {}) == 2
    wrong = ((code, ""), (code, other_secret), (other_code, secret), (code, secret[:-2]))
    for wrong_code, wrong_secret in wrong:
        with pytest.raises(ClassError, match="only the teacher's browser"):
            room.resume(wrong_code, wrong_secret)
    room.end(code, secret)
    with pytest.raises(ClassError, match=code):
        room.resume(code, secret)
