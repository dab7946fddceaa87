"""Editor intelligence (issue 8): live validation, autocomplete, the schema browser's data.

Headless parts (no Textual): ``pacer`` (the request budget), ``diagnostics`` (HogQLMetadata
problems as spans), ``completion`` (the word at the cursor and local suggestions from the
schema and the function/keyword lists). ``requests`` holds the worker coroutines and the
messages they post; ``screens/assist_screen`` wires it all to the editor.
"""
