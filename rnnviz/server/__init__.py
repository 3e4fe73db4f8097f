"""What a server shares between its sessions, apart from the code that draws a page: settings
read from the environment (settings.py), and classes with their followers and answers
(classes.py) kept in a store (store.py): in this process by default, in Redis when
RNNVIZ_REDIS_URL is set so that replicas behind a sticky proxy share a class. Neither torch nor
streamlit is imported here."""
