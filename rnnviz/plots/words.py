"""The words figures print (axis titles, legends): English by default, from the app's English
table (rnnviz/words/en.py, keys plot_*); pages pass translated ones via `words=`."""

from rnnviz.words.en import WORDS as ENGLISH

WORDS = {key[5:]: text for key, text in ENGLISH.items() if key.startswith("plot_")}


def merged(words: dict | None) -> dict:
    """English defaults overridden by `words`."""
    return {**WORDS, **(words or {})}
