"""rnnviz: the Streamlit entry point. Routes the pages; each page draws the shared sidebar
(rnnviz.ui.sidebar) through the page helper it is built from."""

import streamlit as st

st.set_page_config(page_title="rnnviz", page_icon="🔁", layout="wide")
navigation = st.navigation([
    st.Page("pages/lstm.py", title="nn.LSTM", url_path="lstm", default=True),
    st.Page("pages/gru.py", title="nn.GRU", url_path="gru"),
    st.Page("pages/rnn.py", title="nn.RNN", url_path="rnn"),
    st.Page("pages/compare.py", title="Compare kinds", url_path="compare"),
    st.Page("pages/gradients.py", title="Gradients through time", url_path="gradients"),
    st.Page("pages/packing.py", title="Packed sequences", url_path="packing"),
])
navigation.run()
