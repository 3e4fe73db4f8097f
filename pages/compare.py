"""RNN, LSTM and GRU side by side on one input."""

from rnnviz.ui.topic_pages import compare_page

compare_page()
