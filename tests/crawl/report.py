"""Crawl results as the lines a failing test prints: role, page, what is wrong, where on the page."""

from tests.crawl.crawler import Crawl


def problems(username: str, result: Crawl, *, query_ceiling: int, admin_query_ceiling: int) -> list[str]:
    """One line per error status and per page over the query ceiling; one line per distinct
    text finding, naming the first page that shows it and how many other pages do."""
    lines = []
    findings: dict[tuple[str, str], list] = {}
    for visit in result.visits:
        where = f"[{username}] GET {visit.url} (linked from {visit.source})"
        if visit.status >= 400:
            lines.append(f"{where}: answered {visit.status}")
        ceiling = admin_query_ceiling if visit.url.startswith("/admin/") else query_ceiling
        if visit.queries > ceiling:
            lines.append(f"{where}: {visit.queries} queries, more than {ceiling}")
        for finding in visit.findings:
            findings.setdefault((finding.kind, finding.text), []).append((where, finding))
    for occurrences in findings.values():
        where, finding = occurrences[0]
        others = len({w for w, _f in occurrences}) - 1
        lines.append(f"{where}: {finding}" + (f" (and on {others} other pages)" if others else ""))
    return lines
