"""Maintainer tooling of the book (not installed with gan_lib): execute chapters with papermill,
check sources against notebooks and code, find stale outputs, write the Colab install cells.

Run it as `PYTHONPATH=tools python -m booktools execute|check` (tools/execute does).
"""
