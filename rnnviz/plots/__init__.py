"""Plotly figure builders: plain arrays in, go.Figure out. No torch models, no streamlit."""

from rnnviz.plots.diagram import shapes_diagram
from rnnviz.plots.extra import gate_parameters_figure, gradient_reach_figure, packed_rows_figure
from rnnviz.plots.states import gate_heatmaps, saturation_histogram, state_heatmap, state_lines, trajectory
from rnnviz.plots.text import text_cells, text_figure
from rnnviz.plots.training import curves_figure, grad_norm_figure

__all__ = [
    "curves_figure",
    "grad_norm_figure",
    "gate_parameters_figure",
    "gradient_reach_figure",
    "packed_rows_figure",
    "gate_heatmaps",
    "saturation_histogram",
    "shapes_diagram",
    "state_heatmap",
    "state_lines",
    "text_cells",
    "text_figure",
    "trajectory",
]
