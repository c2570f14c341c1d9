"""A province-sized generated register for trying the portal at scale (`manage.py generate_demo`).

The rows are planned in memory from one seeded random generator (planner) and
written straight into their tables (tables: COPY on PostgreSQL, executemany
elsewhere), then the portal's own set-based services derive the rest: rewards
owed, eligibility and the pool, the dashboard's snapshots.
"""

from seed.demo.generate.activity import (
    owe_rewards,
    pay_some_rewards,
    record_snapshots,
    write_task_reports,
)
from seed.demo.generate.register import prepare_planner, write_register
from seed.demo.generate.removal import generated_enterprises, remove_generated

__all__ = [
    "generated_enterprises",
    "owe_rewards",
    "pay_some_rewards",
    "prepare_planner",
    "record_snapshots",
    "remove_generated",
    "write_register",
    "write_task_reports",
]
