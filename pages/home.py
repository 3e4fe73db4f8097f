"""Home: what rnnviz is, the seed note's examples, a card per page and a lesson path for a class."""

from rnnviz.ui.home import home_page

home_page()
