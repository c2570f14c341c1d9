"""Feed one roster file to the import API under an address-space ceiling; print what happened as JSON.

    python -m tests.hostile_files.feed <path> <username> <ceiling in MiB> [whole|sliced]

Runs in its own process so that the ceiling (RLIMIT_AS) and the peak resident
size belong to the import alone. The peak is VmHWM, this program's own: Linux carries
the parent's high-water mark into a child's ru_maxrss across fork and exec, so under a
large test process (a pytest-xdist worker) ru_maxrss reports the parent's size. Uploads as the user, and commits
when the dry run is ready, through the same API a client uses. "sliced" reads an .xlsx a few
rows at a time, as a large file is read.
"""

import json
import resource
import sys
from pathlib import Path


def _peak_resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(path: str, username: str, ceiling_mib: int, reader: str = "whole") -> None:
    ceiling = ceiling_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))

    import django

    django.setup()
    from django.utils import translation
    from rest_framework.test import APIClient

    from enterprises.tests.roster_files import xlsx_read
    from portal.models import User

    translation.activate("en")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", SERVER_NAME="localhost")
    client.force_authenticate(User.objects.get(username=username))
    data = Path(path).read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    outcome: dict = {}
    try:
        with xlsx_read(reader):
            upload = client.post(
                "/api/v1/rosters/", {"file": SimpleUploadedFile(Path(path).name, data)}, format="multipart"
            )
            outcome["upload"] = {"status": upload.status_code, "body": upload.json()}
            body = outcome["upload"]["body"]
            if upload.status_code == 201 and body.get("status") == "analysed" and body["created_count"]:
                commit = client.post(f"/api/v1/rosters/{body['id']}/commit/")
                outcome["commit"] = {"status": commit.status_code, "body": commit.json()}
    except MemoryError:
        outcome["memory_error"] = True
    outcome["max_rss_mib"] = _peak_resident_kib() / 1024
    sys.stdout.write(json.dumps(outcome, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:])
