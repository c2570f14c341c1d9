"""The application and recognition pages say what a button does and hide bookkeeping fields."""

import re

from django.urls import reverse

from tiers.applications import services
from tiers.tests.factories import RecognitionFactory


def button(html: str, action: str) -> str:
    match = re.search(rf'data-testid="action-{action}">(.*?)</button>', html, re.S)
    assert match, f"no {action} button"
    return match.group(1).strip()


def test_a_drafts_button_says_submit_and_a_reviewers_say_what_they_do(client, chain_users, enterprise, batch):
    draft = services.create_application(actor=chain_users["spt_staff"], enterprise=enterprise, batch=batch)
    client.force_login(chain_users["spt_staff"])

    html = client.get(reverse("applications:detail", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert button(html, "submit") == "提交"
    services.submit_application(actor=chain_users["spt_staff"], application=draft)
    client.force_login(chain_users["spt_reviewer"])
    html = client.get(reverse("applications:detail", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert button(html, "return") == "退回修改"
    assert "已提交</button>" not in html


def test_the_revoke_form_keeps_the_version_hidden(client, chain_users, enterprise):
    recognition = RecognitionFactory(enterprise=enterprise)
    client.force_login(chain_users["spt_staff"])

    html = client.get(
        reverse("applications:recognition", args=[recognition.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert re.search(r'<input type="hidden" name="version" value="\d+"', html)
    assert "Version" not in html
