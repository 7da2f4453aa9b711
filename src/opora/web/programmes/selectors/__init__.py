"""Reads of the programmes app, scoped by the Viewer."""
