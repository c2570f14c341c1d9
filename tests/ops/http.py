"""A small HTTP client for the portal's API with token authentication."""

from typing import Any

import requests


class ApiClient:
    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "en"
        if token:
            self.session.headers["Authorization"] = f"Token {token}"
        self.timeout = timeout

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, f"{self.base_url}{path}", **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def wait_for_job(self, roster_id: int, *, timeout: float = 90) -> dict:
        """Poll a roster import until its status is final; its last representation."""
        from tests.ops.processes import wait_until

        final = {"analysed", "committed", "refused", "failed"}

        def done() -> dict | None:
            body = self.get(f"/api/v1/rosters/{roster_id}/").json()
            return body if body["status"] in final else None

        return wait_until(done, timeout=timeout, interval=0.3, message=f"roster import {roster_id} did not finish")
