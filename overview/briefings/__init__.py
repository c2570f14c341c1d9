"""Briefings: the dashboard's figures frozen "as of" a date in a workbook and a printable page."""
