"""The baseline for bench/latency.py: one slider, one chart, nothing else."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

frequency = st.slider("frequency", 1, 64, 8, key="hidden_size")
t = np.linspace(0, 1, 200)
st.plotly_chart(go.Figure(go.Scatter(x=t, y=np.sin(2 * np.pi * frequency * t))), key="chart")
