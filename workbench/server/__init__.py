"""A local stand-in for PostHog's Query API, executing HogQL on embedded ClickHouse (chDB).

Importing this package imports nothing heavy: chDB, the HogQL parser and uvicorn load only
inside the server process (``workbench serve``). Other packages use :mod:`.launcher` alone.
"""
