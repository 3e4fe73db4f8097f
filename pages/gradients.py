"""Gradients through time: how far back the last state depends on the input."""

from rnnviz.ui.topic_pages import gradients_page

gradients_page()
