"""Streamlit helpers shared by the pages: controls, cached runs, views."""
