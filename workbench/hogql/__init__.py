"""Headless HogQL text tools: tokenizer, LIMIT policy, statement splitter, lexer, formatter.

Only the standard library, Pygments and sqlparse may be imported here (never Textual).
Submodules are imported on demand so that the client pays only for what it uses.
"""
