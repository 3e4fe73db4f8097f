"""Packed sequences: padding vs packing, and what h_n really holds."""

from rnnviz.ui.topic_pages import packing_page

packing_page()
