"""The Textual app. Entry point: ``workbench.app.launch.launch_app``.

Kept import-light: the package root imports nothing, so ``workbench --help`` stays cheap.

Layout of the package (state flows one way: workers → messages → screen → widgets):

- ``launch``: ``--demo`` (starts the local server) or flags/env → ``WorkbenchContext`` → app.
- ``context``: what screens need from outside (client session, run registry, buffer store,
  clocks, ids), so tests swap in fakes and frozen clocks.
- ``workbench_app``: the thin ``App`` (stylesheet, palette commands, quit path).
- ``workers``: the only I/O: connect, run a query (progress → rows or failure), cancel.
- ``messages``: the past-tense messages workers post (``QueryProgressed``, ``ResultsFetched``…).
- ``screens/runs_screen`` → ``screens/editor_screen`` → ``screens/main``: the main screen in
  three layers (runs and results; editor actions; layout, connection, focus); ``help``,
  ``cell_detail``, ``path_prompt`` are modals.
- ``widgets/``: the editor (windowed HogQL highlighting), editor tabs, results pane and grid,
  runs sidebar, splitter, status bar: views that post messages and never touch the network.
- ``buffers``, ``describe``, ``literal``, ``keys``, ``demo_queries``: headless helpers.

The run registry itself lives in ``workbench.runs`` (no Textual): the sidebar is its view.
"""
