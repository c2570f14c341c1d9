"""The leader dashboard: the site layer that composes the domain apps' selectors into figures and charts.

This package (and portal.briefings, which freezes its figures) is the only part of
`portal` that imports the domain apps; the domain apps never import it.
"""
