"""Screens: the main workbench, help, cell detail and the file-path prompt."""
