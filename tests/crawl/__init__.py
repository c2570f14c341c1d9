"""Crawling the site as each demo account and checking what people read (tests/test_crawl.py)."""
