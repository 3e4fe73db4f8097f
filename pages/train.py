"""Train: a real layer learns a small task live; its states and gates at each checkpoint."""

from rnnviz.ui.train_page import train_page

train_page()
