"""Headless HogQL text tools; only the standard library, Pygments and sqlparse (never Textual).

Submodules are imported on demand, so the client pays only for what it uses:

- :mod:`~workbench.hogql.tokens`: the tokenizer (``tokenize``, ``iter_marks``, ``opaque_span_at``);
- :mod:`~workbench.hogql.limit`: the LIMIT policy (``apply_row_limit``, ``has_top_level_offset``);
- :mod:`~workbench.hogql.split`: statements (``split_statements``, ``statement_at``);
- :mod:`~workbench.hogql.lexer`: ``HogQLLexer``, the ``hogql`` Pygments plugin;
- :mod:`~workbench.hogql.highlight`: ``highlight_lines`` for the editor's TextArea;
- :mod:`~workbench.hogql.format`: ``format_hogql`` / ``format_hogql_checked``.

Character offsets everywhere, except ``highlight`` columns, which are UTF-8 bytes.
"""
