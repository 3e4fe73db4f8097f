"""rnnviz: the Streamlit entry point. The pages and their URLs are listed in rnnviz.ui.router;
each page draws the shared sidebar (rnnviz.ui.sidebar) through the helper it is built from."""

from rnnviz.ui.router import run_app

run_app()
