"""Two reviewers deciding on the same application at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from enterprises.tests.factories import EnterpriseFactory
from portal.exceptions import ConcurrentEditError
from portal.tests.factories import UserFactory
from tiers.applications import services
from tiers.applications.models import Application, ReviewAction

TRIALS = 50

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _decide(decision, application_id: int, actor, barrier: threading.Barrier, outcomes: list) -> None:
    try:
        with translation.override("en"):
            application = Application.objects.get(pk=application_id)
            barrier.wait(timeout=10)
            try:
                decision(actor=actor, application=application)
            except ConcurrentEditError as error:
                outcomes.append(("lost", error.message))
            else:
                outcomes.append(("won", decision.__name__))
    finally:
        connections.close_all()


def test_fifty_trials_of_two_simultaneous_decisions_have_exactly_one_winner(chain_users, batch):
    """A county reviewer passes while another returns it: one decision stands, the other is told clearly.

    Both are colleagues of the person who submitted it (who may not review it)."""
    second_reviewer = UserFactory(username="t_spt_second", role="staff", region=chain_users["spt_staff"].region)
    applications = []
    for _trial in range(TRIALS):
        enterprise = EnterpriseFactory(region=chain_users["spt_staff"].region)
        draft = services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch)
        applications.append(services.submit_application(actor=chain_users["spt_staff"], application=draft))

    def pass_it(*, actor, application):
        return services.pass_application(actor=actor, application=application, comment="同意")

    def return_it(*, actor, application):
        return services.return_application(actor=actor, application=application, comment="请补充材料")

    for application in applications:
        outcomes: list = []
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(
                target=_decide, args=(pass_it, application.pk, chain_users["spt_reviewer"], barrier, outcomes)
            ),
            threading.Thread(target=_decide, args=(return_it, application.pk, second_reviewer, barrier, outcomes)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(kind for kind, _detail in outcomes) == ["lost", "won"], outcomes
        winner = next(detail for kind, detail in outcomes if kind == "won")
        loser_message = next(detail for kind, detail in outcomes if kind == "lost")
        application.refresh_from_db()
        expected_state = "City review" if winner == "pass_it" else "Returned for changes"
        with translation.override("en"):
            assert application.state_label == expected_state
        assert loser_message == (
            f"This application has already been handled by someone else (current state: {expected_state}). "
            "Please refresh and try again."
        )
        decisions = application.actions.filter(action__in=[ReviewAction.Action.PASS, ReviewAction.Action.RETURN])
        assert decisions.count() == 1
        assert application.version == 3  # created 1, submitted 2, one decision 3
