"""The Textual app. Entry point: ``workbench.app.launch.launch_app``.

Kept import-light: the package root imports nothing, so ``workbench --help`` stays cheap.
"""
