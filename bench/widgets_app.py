"""A reference for bench/latency.py: the LSTM page's widgets and layout, with no model.

The same inventory as the LSTM page in its Shapes view (sidebar: two selectboxes, a radio, a
number input; main: header, preset button, 6 sliders, 4 toggles, a selectbox, 2 radios, a
number input, a text input, a chart, a table, code, a caption and 2 download buttons, in
the page's columns), each with help text, and a one-trace chart that follows the slider.
What it costs over the minimal app is the price of the widgets alone."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

HELP = "What this argument does, and which tensor shapes it changes."
with st.sidebar:
    st.selectbox("language", ["en", "zh"], key="lang", help=HELP)
    st.selectbox("device", ["cpu"], key="device", help=HELP)
    st.radio("dtype", ["float32", "float64"], key="dtype", help=HELP, horizontal=True)
    st.number_input("seed", 0, 2**31 - 1, key="seed", help=HELP)
st.header("nn.LSTM")
controls, views = st.columns([1, 2], gap="large")
with controls:
    st.button("nn.LSTM(10, 20, 2) on (5, 3, 10)", key="preset", help=HELP)
    left, right = st.columns(2)
    left.slider("input_size", 1, 64, 4, key="input_size", help=HELP)
    frequency = right.slider("hidden_size", 1, 512, 8, key="hidden_size", help=HELP)
    left.slider("num_layers", 1, 4, 1, key="num_layers", help=HELP)
    right.slider("dropout", 0.0, 1.0, 0.0, key="dropout", help=HELP)
    right.number_input("proj_size", 0, 511, key="proj_size", help=HELP)
    for name in ("bias", "batch_first", "bidirectional", "train"):
        st.toggle(name, key=name, help=HELP)
    st.selectbox("input", ["random", "sine", "step"], key="source", help=HELP)
    left, right = st.columns(2)
    left.slider("seq_len", 1, 1000, 12, key="seq_len", help=HELP)
    right.slider("batch", 1, 32, 2, key="batch_size", help=HELP)
    st.text_input("lengths", key="lengths", help=HELP)
    st.radio("h0", ["zeros", "random"], key="h0", help=HELP, horizontal=True)
with views:
    st.radio("view", ["Shapes", "Hidden states", "Gates"], key="view", help=HELP, horizontal=True)
    t = np.linspace(0, 1, 200)
    st.plotly_chart(go.Figure(go.Scatter(x=t, y=np.sin(2 * np.pi * frequency * t))), key="chart")
    st.markdown(
        "| name | shape | dims | count |\n|---|---|---|--:|\n| `weight_ih_l0` | (32, 4) | 4·H, H_in | 128 |"
    )
    st.markdown(f"**Total parameters: {frequency:,}**")
    st.code("import torch\n" * 8, language="python")
    st.caption("max |trace − torch| = 0.00e+00 · ran on cpu · 1.0 ms")
    left, right = st.columns(2)
    left.download_button("CSV", "a,b", file_name="a.csv", key="download_csv")
    right.download_button("JSON", "{}", file_name="a.json", key="download_json")
