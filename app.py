"""rnnviz: the Streamlit entry point. Routes the pages; each page draws the shared sidebar
(rnnviz.ui.sidebar) through the page helper it is built from."""

import streamlit as st

from rnnviz.ui.texts import LABELS

st.set_page_config(page_title="rnnviz", page_icon="🔁", layout="wide")
lang = st.query_params.get("lang", st.session_state.get("lang", "en"))
names = LABELS.get(lang, LABELS["en"])
navigation = st.navigation([
    st.Page("pages/lstm.py", title="nn.LSTM", url_path="lstm", default=True),
    st.Page("pages/gru.py", title="nn.GRU", url_path="gru"),
    st.Page("pages/rnn.py", title="nn.RNN", url_path="rnn"),
    st.Page("pages/compare.py", title=names["page_compare"], url_path="compare"),
    st.Page("pages/gradients.py", title=names["page_gradients"], url_path="gradients"),
    st.Page("pages/packing.py", title=names["page_packing"], url_path="packing"),
])
navigation.run()
