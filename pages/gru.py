"""nn.GRU: every constructor argument as a control, and what happens inside."""

from rnnviz.ui.layer_page import layer_page

layer_page("GRU")
