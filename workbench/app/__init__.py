"""The Textual app. Entry point: ``workbench.app.launch.launch_app``.

Kept import-light: the package root imports nothing, so ``workbench --help`` stays cheap.

Layout of the package (state flows one way: workers → messages → screen → widgets):

- ``launch``: ``--demo`` (starts the local server) or flags/env → ``WorkbenchContext`` → app.
- ``context``: what screens need from outside (client session, run registry, buffer store,
  clocks, ids), so tests swap in fakes and frozen clocks.
- ``workbench_app``: the thin ``App`` (stylesheet, palette commands, quit path).
- ``workers``: the I/O of runs: connect, run a query (progress → rows or failure), cancel.
- ``assist/``: editor intelligence (issue 8): the request pacer, diagnostics, local
  completion (headless) and ``assist/requests`` (its workers and messages).
- ``messages``: the past-tense messages workers post (``QueryProgressed``, ``ResultsFetched``…).
- ``screens/runs_screen`` → ``screens/assist_base`` → ``screens/validation_screen`` →
  ``screens/assist_screen`` → ``screens/editor_screen`` → ``screens/main``: the main screen
  in layers (runs and results; live validation; completion and schema browser; editor
  actions; layout, connection, focus); ``help``, ``cell_detail``, ``path_prompt`` are modals.
- ``widgets/``: the editor (windowed HogQL highlighting, diagnostics), editor tabs, results
  pane and grid, runs sidebar, splitter, status bar, completion popup, schema browser: views
  that post messages and never touch the network.
- ``buffers``, ``describe``, ``literal``, ``keys``, ``demo_queries``: headless helpers.

The run registry itself lives in ``workbench.runs`` (no Textual): the sidebar is its view.
"""
