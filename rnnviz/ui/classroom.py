"""A class on every page: a teacher starts it and drives, students follow and answer.

The classes themselves (codes, the teacher's secret, versions, questions, answers, limits) live in
rnnviz.server.classes, in this process or in Redis; this module only draws them:

- `class_sidebar()`: start a class, join one (or `/?class=CODE`), follow or explore, leave or end;
  the teacher's questions (rnnviz.ui.class_questions: the menu, the answer form, the tally).
- `class_bar(page)`: above every page, a timed fragment that polls the class every POLL_S seconds. A
  follower moves to the teacher's page and URL parameters when their version changes; a student
  answers the question on screen; the teacher's projector shows the join code, and the tally live.
- `publish_view(page)`: after the teacher's page ran, its page and URL parameters go to the class
  (only when they changed). The secret stays with the teacher: in the teacher's session, and as the
  teacher key in the teacher's own sidebar (to lead again after a reload); never in a URL or on a
  student's page.
"""

from __future__ import annotations

import contextvars
import io
import secrets
import time

import streamlit as st

from rnnviz.server.classes import ClassError, ClassView, classroom, normal_code
from rnnviz.server.settings import TEACHER_GONE_S
from rnnviz.ui.class_questions import CODE, ERROR, SECRET, answer_form, ask_panel, tally_box
from rnnviz.ui.fragments import timed_fragment
from rnnviz.ui.texts import language, t, translate
from rnnviz.ui.url_state import VISIT

MEMBER, SEEN = "class_member", "class_seen"
FOLLOW = "class_follow"
PUBLISHED, LINKED, MOVING = "_class_published", "_class_link", "_class_moving"
RENDERED = "_class_rendered"  # (page, URL parameters) the last full run of this session drew to its end
PRIVATE = ("lang", "present", "class")  # a browser's own parameters: never sent to the class
POLL_S = 0.3  # a follower sees the teacher's move within this, plus one rerun (1 s in all, issue 16)
MOVE_TRIES = 20  # moves tried for one version of the teacher's view (at most one a MOVE_WAIT_S)
MOVE_WAIT_S = 1.0  # a move in flight this recently is left to finish: the live bar does not start another
# Whether the live bar runs inside a full run (class_bar), not as its own timed rerun: a full run is
# drawing the page, so the bar must not restart it before the page is drawn
_FULL_RUN: contextvars.ContextVar[bool] = contextvars.ContextVar("class_full_run", default=False)


def _state():
    return st.session_state


def is_teacher() -> bool:
    return bool(_state().get(SECRET))


def _member() -> str:
    """A random token for this browser session: what makes an answer one answer, and nothing else."""
    return _state().setdefault(MEMBER, secrets.token_hex(8))


def _forget() -> None:
    for key in (CODE, SECRET, SEEN, PUBLISHED, MOVING):
        _state().pop(key, None)


def _join(code: str) -> None:
    try:
        view = classroom().join(code, _member())
    except ClassError as error:
        _state()[ERROR] = translate(error)
        return
    _forget()
    _state().update({CODE: view.code, FOLLOW: True, SEEN: -1})


def _start() -> None:
    try:
        code, secret = classroom().start()
    except ClassError as error:
        _state()[ERROR] = translate(error)
        return
    _forget()
    _state().update({CODE: code, SECRET: secret})


def _resume(code: str, key: str) -> None:
    """Lead a class again from this session, with the teacher's key (kept from the sidebar)."""
    try:
        code = classroom().resume(code, key)
    except ClassError as error:
        _state()[ERROR] = translate(error)
        return
    _forget()
    _state().update({CODE: code, SECRET: key.strip()})
    _state()["class_resume_key"] = ""


def _end() -> None:
    try:
        classroom().end(_state()[CODE], _state()[SECRET])
    except ClassError:
        pass  # already gone
    _forget()


def _leave() -> None:
    _forget()


def _follow_changed() -> None:
    if _state().get(FOLLOW):
        _state()[SEEN] = -1  # catch up with the teacher at once


def _base_url() -> str:
    url = st.context.url or ""
    parts = url.split("/")
    return "/".join(parts[:3]) if len(parts) >= 3 else url


def join_url(code: str) -> str:
    return f"{_base_url()}/?class={code}"


def class_sidebar() -> None:
    """The Class panel of the sidebar. A link's ?class=CODE joins once per session and code."""
    state = _state()
    linked = normal_code(st.query_params.get("class", ""))
    if linked and state.get(LINKED) != linked:
        state[LINKED] = linked
        if state.get(CODE) != linked:
            _join(linked)
    with st.sidebar.expander(t("class_title"), expanded=bool(state.get(CODE) or state.get(ERROR))):
        if state.get(ERROR):
            st.error(state.pop(ERROR))
        code = state.get(CODE)
        if not code:
            st.button(t("class_start"), key="class_start", on_click=_start, help=t("help_class_start"))
            typed = st.text_input(t("class_join_code"), key="class_join_code", max_chars=12,
                                  placeholder="K7P2QX", help=t("help_class_join_code"))
            st.button(t("class_join"), key="class_join", on_click=_join, args=(typed,),
                      help=t("help_class_join"), disabled=not normal_code(typed))
            key = st.text_input(t("class_resume_key"), key="class_resume_key", type="password", max_chars=64,
                                help=t("help_class_resume_key"))
            st.button(t("class_resume"), key="class_resume", on_click=_resume, args=(typed, key),
                      help=t("help_class_resume"), disabled=not (normal_code(typed) and key.strip()))
        elif is_teacher():
            st.markdown(t("class_teacher_code", code=code, url=join_url(code)))
            st.toggle(t("class_show_join"), key="class_show_join", help=t("help_class_show_join"))
            with st.popover(t("class_keep_key"), help=t("help_class_keep_key"), key="class_keep_key"):
                st.code(state[SECRET], language=None)
            ask_panel()
            st.button(t("class_end"), key="class_end", on_click=_end, help=t("help_class_end"))
        else:
            st.markdown(t("class_student_code", code=code))
            st.toggle(t("class_follow"), key=FOLLOW, on_change=_follow_changed, help=t("help_class_follow"))
            st.caption(t("class_following" if state.get(FOLLOW) else "class_exploring"))
            st.button(t("class_leave"), key="class_leave", on_click=_leave, help=t("help_class_leave"))


def _own_query() -> dict:
    """This browser's URL parameters that a class shares (its own language, presenting, class left out)."""
    return {name: value for name, value in st.query_params.to_dict().items() if name not in PRIVATE}


def _behind(view: ClassView) -> bool:
    """Whether this follower has not caught up with the teacher's latest view yet."""
    state = _state()
    return (bool(state.get(FOLLOW)) and view.version > 0 and view.version > state.get(SEEN, -1)
            and view.teacher_silent_s <= TEACHER_GONE_S)


def _moving(view: ClassView) -> bool:
    """Whether a move to this version started under MOVE_WAIT_S ago: the live bar's timed runs carry
    the URL the browser had when it asked, which may predate the move, so they must not start
    another move (measured: moves lost in bench/lead_class.py scenario a, and with two replicas)."""
    version, _, started = _state().get(MOVING, (-1, 0, 0.0))
    return version == view.version and time.monotonic() - started < MOVE_WAIT_S


def _here(view: ClassView, page: str) -> bool:
    """Whether this run's page and URL are the teacher's (a full run then draws the teacher's view)."""
    return view.page == page and _own_query() == view.query


def _shown(view: ClassView) -> bool:
    """Whether this browser's last full run drew the teacher's view. Not its URL: a move's URL can
    reach the browser while the run that would draw it is lost to a concurrent rerun (measured in
    bench/lead_class.py scenario a: the follower kept the old view under the new URL)."""
    return _state().get(RENDERED) == (view.page, view.query)


def rendered(page: str) -> None:
    """After a page ran to its end (rnnviz.ui.router): what this browser now shows."""
    if _state().get(CODE) and not is_teacher():
        _state()[RENDERED] = (page, _own_query())


def _catch_up(page: str) -> None:
    """In a full run, before the page: a follower behind the teacher moves to the teacher's page and
    parameters. The version counts as seen only once a full run has drawn the teacher's view to its
    end (a run that a concurrent rerun swallowed, before or after the move, is tried again, at most
    MOVE_TRIES times a version: a page that rewrites its link differently must not loop)."""
    state = _state()
    try:
        view = classroom().view(state[CODE])
    except ClassError:
        return  # the live bar below says so
    if not _behind(view):
        return
    tried_version, tries, _ = state.get(MOVING, (-1, 0, 0.0))
    tries = tries if tried_version == view.version else 0
    if _here(view, page):
        return  # this run draws the teacher's view: seen once it is drawn (rendered(), then _live)
    if tries >= MOVE_TRIES:
        state[SEEN] = view.version
        state.pop(MOVING, None)
        return
    state[MOVING] = (view.version, tries + 1, time.monotonic())
    _go(view, page)


def publish_view(page: str) -> None:
    """After the teacher's page ran: its page and URL parameters to the class, when they changed."""
    state = _state()
    if not is_teacher():
        return
    query = _own_query()
    seen = (page, tuple(sorted(query.items())))
    if state.get(PUBLISHED) == seen:
        return
    try:
        classroom().publish(state[CODE], state[SECRET], page, query)
        state[PUBLISHED] = seen
    except ClassError as error:
        state[ERROR] = translate(error)


def class_bar(page: str):
    """Above the page: a follower catches up with the teacher (before the page reads its URL), and a
    place for the class's live bar, which live_bar() fills once the page has run. None when this
    session is in no class."""
    if not _state().get(CODE):
        return None
    if not is_teacher():
        _catch_up(page)
    return st.container()


def live_bar(place, page: str) -> None:
    """The class's live bar in `place`, above the page: a fragment polling every POLL_S, registered
    after the page has run (rnnviz.ui.router calls it on every way out of the page, a rerun for play
    included, so the teacher's heartbeat and tally keep going).

    Streamlit (1.67) drops the rest of a full run's messages when a timed fragment request reaches
    the server just after that run ended and before its messages went out (a new script runner
    starts and the old one's events are ignored); the browser then showed an empty or old page
    (bench/lead_class.py scenario a, tests/test_class_browser.py). Two things close that window: the
    bar's id is new in every full run (rnnviz.ui.fragments: a request for the previous run's bar is
    dropped before it can start a runner), and registered last, its timer starts only once the
    page's messages have gone out."""
    if place is None:
        return
    token = _FULL_RUN.set(True)  # the bar's first run is part of this full run
    try:
        with place:
            timed_fragment(_live, POLL_S, page)
    finally:
        _FULL_RUN.reset(token)


def _live(page: str) -> None:
    """Polls the class. A follower that falls behind reruns the whole app, whose full run moves it
    (_catch_up): st.switch_page from a fragment's own run raced the fragment's next timed run."""
    state = _state()
    code = state.get(CODE)
    if not code:
        return
    try:
        view = classroom().view(code)
    except ClassError as error:
        st.warning(t("class_ended", reason=translate(error)))
        _forget()
        return
    if is_teacher():
        _teacher_bar(view)
        return
    if view.teacher_silent_s > TEACHER_GONE_S:
        st.info(t("class_teacher_gone", seconds=int(view.teacher_silent_s)))
    elif _behind(view):
        if _shown(view):
            state[SEEN] = view.version
            state.pop(MOVING, None)
        elif not _moving(view) and not _FULL_RUN.get():
            st.rerun()  # the full run moves this browser (or draws the view its URL already has)
    if view.question is not None:
        # a fragment of its own, with a stable id: a Send click that reaches the server during a full
        # run still finds it afterwards (the live bar's id is new in every full run)
        st.fragment(answer_form)(view, _member())


def _go(view: ClassView, page: str) -> None:
    """Move this follower to the teacher's page and parameters (its own language kept)."""
    from rnnviz.ui.router import PAGES

    query = dict(view.query)
    if language() != "en":
        query["lang"] = language()
    _state().pop(VISIT, None)  # the page applies the link's values again
    if view.page != page:
        target = next((entry.file for entry in PAGES if entry.url_path == view.page), None)
        if target is not None:
            st.switch_page(target, query_params=query)
    st.query_params.from_dict(query)
    st.rerun()


def _qr_png(url: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def _teacher_bar(view: ClassView) -> None:
    state = _state()
    if view.teacher_silent_s > 2:  # the fragment is the page's heartbeat
        classroom().heartbeat(view.code, state[SECRET])
    if state.get("class_show_join"):
        with st.container(border=True, key="class_join_box"):
            left, right = st.columns([1, 3])
            left.image(_qr_png(join_url(view.code)), width=220)
            right.markdown(f"## {t('class_join_big', code=view.code)}")
            right.markdown(t("class_join_where", url=f"<{_base_url()}>"))  # <>: the link ends there
    if view.question is not None:
        tally_box(view, state[SECRET])
