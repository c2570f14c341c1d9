"""The leader dashboard: the site layer that composes the domain apps' selectors into figures and charts.

Part of the top layer (`overview`): it imports the domain apps, and they never import it;
they offer hooks that `overview.apps` connects the tallies to.
"""
