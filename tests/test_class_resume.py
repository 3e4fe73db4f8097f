"""A teacher who reloads (a new Streamlit session) leads the class again with its join code and the
teacher key the old session showed; a wrong key leads nothing and says so, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")


def _home(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    return at


def _text(at: AppTest) -> str:
    return " ".join(m.value for m in at.sidebar.markdown) + " ".join(e.value for e in at.error)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_reloaded_teacher_leads_again_with_the_key(lang):
    teacher = _home(lang)
    teacher.button(key="class_start").click().run()
    code, secret = teacher.session_state["class_code"], teacher.session_state["class_secret"]
    assert secret in [c.value for c in teacher.sidebar.code]  # the key, for the teacher to keep
    assert secret not in _text(teacher)

    reloaded = _home(lang)
    reloaded.text_input(key="class_join_code").input(code.lower())
    reloaded.text_input(key="class_resume_key").input(secret[:-1] + ("A" if secret[-1] != "A" else "B")).run()
    reloaded.button(key="class_resume").click().run()
    assert not reloaded.exception and "class_secret" not in reloaded.session_state
    wrong = [e.value for e in reloaded.error]
    assert wrong and (("teacher" in wrong[0]) if lang == "en" else ("老师" in wrong[0]))

    reloaded.text_input(key="class_join_code").input(code)
    reloaded.text_input(key="class_resume_key").input(secret).run()
    reloaded.button(key="class_resume").click().run()
    assert not reloaded.exception and not reloaded.error
    assert reloaded.session_state["class_secret"] == secret and reloaded.session_state["class_code"] == code
    assert code in _text(reloaded)  # "You lead class CODE"
    assert all(secret not in value for value in reloaded.query_params.values())  # never in the URL
    assert reloaded.button(key="class_end")  # the teacher's controls
    if lang == "en":  # AppTest words a selectbox's value outside the session, in English: a zh teacher's
        reloaded.button(key="class_end").click().run()  # sidebar cannot rerun here (the browser test's can)
        assert "class_code" not in reloaded.session_state
