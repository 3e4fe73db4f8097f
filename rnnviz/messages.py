"""Sentences the core says to a person, in English and 简体中文.

The core raises and returns `Message`s: a `str` holding the English sentence (so notebooks,
logs and `str(error)` read as before) that also keeps its `key` and `values`, so a user
interface can word the same message in another language with `message.text("zh")`. The
sentences themselves are data, in rnnviz/words/core_en.py and core_zh.py.
"""

from __future__ import annotations

from rnnviz.words import core_en, core_zh

TEXTS = {"en": core_en.MESSAGES, "zh": core_zh.MESSAGES}


class Message(str):
    """A sentence for a person: the English text as a `str`, plus its key and values."""

    key: str
    values: dict

    def __new__(cls, key: str, **values) -> Message:
        self = super().__new__(cls, TEXTS["en"][key].format(**values))
        self.key, self.values = key, values
        return self

    def text(self, lang: str = "en") -> str:
        """The same message in `lang` ("en" or "zh"; anything else reads English)."""
        return TEXTS.get(lang, TEXTS["en"])[self.key].format(**self.values)


def say(key: str, **values) -> Message:
    """The message `key` with `values` filled in."""
    return Message(key, **values)


def words(message, lang: str = "en") -> str:
    """`message` in `lang` if it is a Message (or an error raised with one), else as it is."""
    if isinstance(message, BaseException):
        message = message.args[0] if len(message.args) == 1 else str(message)
    return message.text(lang) if isinstance(message, Message) else str(message)
