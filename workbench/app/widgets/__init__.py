"""Widgets: views of app state. They post messages; they never touch the network."""
