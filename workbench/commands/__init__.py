"""Subcommands of the ``workbench`` CLI, one module each."""
