"""English words of the Text view (rnnviz.ui.text_view), merged into rnnviz.words.en.WORDS."""

TEXT = {
    "Text": "Text", "plot_text_title": "Units under the text",
    "text_mode": "show", "Units": "Units", "Find cells": "Find cells", "Match pattern": "Match pattern",
    "help_text_mode": (
        "Units: the units you pick, under the text. Find cells: every unit ranked by its correlation with a "
        "feature of the text. Match pattern: where the units that are on across a span are on again."
    ),
    "text_state": "state", "help_text_state": (
        "Which numbers colour the characters: the hidden state h, the LSTM's cell state c, or a gate."
    ),
    "text_units": "units", "help_text_units": (
        "One row of colour under each line of text per unit chosen; hover a character for its value."
    ),
    "text_page": "page", "help_text_page": "A long text is drawn a few lines at a time: which lines to draw.",
    "text_feature": "feature of the text", "help_text_feature": (
        "What the units are compared with, character by character: inside double quotes, bracket depth, "
        "position in the line, start of a word, a digit, or what your regular expression matches."
    ),
    "quotes": "inside \"quotes\"", "brackets": "bracket depth", "column": "position in the line",
    "word_start": "start of a word", "digit": "digit", "regex": "regular expression",
    "text_regex": "regular expression", "help_text_regex": (
        "A Python regular expression; the characters it matches count as 1, the others as 0."
    ),
    "text_top": "best units shown", "help_text_top": (
        "How many of the best units (largest |correlation|, h and c of every layer and direction) to draw."
    ),
    "text_span": "selected characters", "help_text_span": (
        "The span that defines the pattern, as character positions (the numbers hover shows)."
    ),
    "text_threshold": "on above", "help_text_threshold": (
        "A unit is on where its value is at least this; the pattern is the units on at every selected "
        "character."
    ),
    "text_bad_regex": "That regular expression cannot be read: {error}",
    "text_no_text": "The Text view reads one-hot text: choose the input “text” to use it.",
    "text_ranked": "Units ranked by correlation with **{feature}** over {count} characters (Pearson's r):",
    "text_rank_row": "| {rank} | `{unit}` | {r:+.3f} |",
    "text_rank_head": "| # | unit | r |\n|--:|---|--:|",
    "text_constant": "This feature does not change in this text, so no unit correlates with it.",
    "text_pattern_units": "{count} units are on across the span: {units}",
    "text_pattern_none": (
        "No unit is at or above {threshold} at every selected character: lower the threshold or select a "
        "shorter span."
    ),
    "text_matches": "{count} other places where all of them are on (outlined):",
    "text_match_row": "- characters {start}–{stop}: `{snippet}`",
    "text_caption": (
        "Each character's background is the unit's value after reading it, taken from the trace "
        "(blue high, red low, white 0; each row on its own scale, at least ±1). Lines between sequences are "
        "no step."
    ),
    "text_read": "Read this layer under its text", "help_text_read": (
        "Trace this checkpoint's layer on held-out text and open it in the Text view: colour the characters "
        "by its units and find the cells that track quotes or brackets."
    ),
    "text_held_out": (
        "Held-out text ({count} characters, never trained on), read by the layer at step {step}:"
    ),
    "text_corpus": "corpus", "help_text_corpus": (
        "Your typed text, or a generated one with nested brackets and quoted strings (the same on every "
        "machine)."
    ),
    "typed": "typed text", "generated": "generated code (quotes, brackets)",
    "text_preset": "Quote and bracket cells preset", "help_text_preset": (
        "LSTM, hidden_size 64, seq_len 64, batch 32, lr 0.01, 1,500 steps on the generated corpus: measured, "
        "a unit then follows quotes or bracket depth on held-out text with |r| 0.72 to 0.81 (seeds 0, 1, 2)."
    ),
}
