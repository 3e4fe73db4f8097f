"""One way to say things: `t(key, **values)` is the word or sentence `key` in this rerun's
language, from one dict per language (rnnviz/words/en.py and zh.py, each merging its
*_pages.py): labels, help texts as `help_<control>`, page prose, and plot words as
`plot_<word>`. `language()` is the one place the language is decided; `translate()` words the
core's messages (rnnviz.messages)."""

from __future__ import annotations

import streamlit as st

from rnnviz.messages import words
from rnnviz.words import en, zh

LANGUAGES = {"en": "English", "zh": "简体中文"}
WORDS = {"en": en.WORDS, "zh": zh.WORDS}


def language() -> str:
    """The language of this rerun: the link's ?lang= (the sidebar writes its choice there
    before the rerun), else the session's, else English."""
    lang = st.query_params.get("lang", st.session_state.get("lang", "en"))
    return lang if lang in LANGUAGES else "en"


def t(key: str, **values) -> str:
    """The words of `key` in this rerun's language, with `values` filled in."""
    return WORDS[language()][key].format(**values)


def translate(message) -> str:
    """A core message (rnnviz.messages.Message, or an error raised with one) in this rerun's language."""
    return words(message, language())


def plot_words() -> dict:
    """The words rnnviz.plots figures print, in this rerun's language."""
    return {key[5:]: text for key, text in WORDS[language()].items() if key.startswith("plot_")}
