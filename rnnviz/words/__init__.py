"""The words of the app in each language, as data (no imports): rnnviz.words.en and .zh."""
