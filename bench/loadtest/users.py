"""The load test's simulated users (a locustfile): analysts and team leads of several agencies.

Each signs in once, on one of the `ops serve` processes (spread in turn), then acts every 3–10 s:
- an analyst searches, opens a record found by an earlier search, and now and then exports ≤ 10,000 rows;
- a team lead takes the next draft of their team: opens it, edits it (the edit form as the browser sends it,
  with the narrative changed) and submits it for review.
The plan (servers, accounts, drafts, searches) is the JSON file named by LOADTEST_PLAN, written by run.py.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

from bench.client import csrf_token
from bench.loadtest import forms

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
RECORD_LINK = re.compile(r'href="/operations/(\d+)"')
FIELD_ERROR = re.compile(r'<p class="error" role="alert">([^<]*)</p>')  # a field's message, for the failure
GRADE_FIRST = "Grade the record before submitting it"  # the English message (the simulated users keep English)
_turns = itertools.count()  # which server the next user signs in on
_analysts = itertools.count()
_leads = itertools.count()


class SignedIn(HttpUser):
    abstract = True
    host = PLAN["servers"][0]
    wait_time = between(*PLAN["wait"])

    def sign_in(self, username: str) -> None:
        self.base = PLAN["servers"][next(_turns) % len(PLAN["servers"])]
        page = self.client.get(self.base + "/login", name="sign in page")
        with self.client.post(
            self.base + "/login",
            data={"username": username, "password": PLAN["password"], "csrf_token": csrf_token(page.text)},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in answered {answer.status_code}")

    def get(self, path: str, name: str):
        return self.client.get(self.base + path, name=name)


class Analyst(SignedIn):
    fixed_count = PLAN["analyst_count"]

    def on_start(self) -> None:
        accounts = PLAN["analysts"]
        self.sign_in(accounts[next(_analysts) % len(accounts)])
        self.seen: list[str] = []

    @task(6)
    def search(self) -> None:
        answer = self.get("/search?" + random.choice(PLAN["searches"]), "search")
        self.seen = RECORD_LINK.findall(answer.text)[:20] or self.seen

    @task(4)
    def open_record(self) -> None:
        if not self.seen:
            return self.search()
        self.get(f"/operations/{random.choice(self.seen)}", "open record")

    @task(1)
    def export(self) -> None:
        self.get("/search/export/csv?" + PLAN["export"], "export csv (≤ 10,000 rows)")


class TeamLead(SignedIn):
    fixed_count = PLAN["lead_count"]

    def on_start(self) -> None:
        lead = PLAN["leads"][next(_leads) % len(PLAN["leads"])]
        self.sign_in(lead["username"])
        self.drafts = iter(lead["drafts"])
        self.steps = self._cycle()

    @task
    def next_step(self) -> None:
        next(self.steps)

    def _cycle(self):
        """open → edit → submit, one step per task run (the wait falls between them), draft after draft."""
        for draft in self.drafts:
            self.get(f"/operations/{draft}", "open draft")
            yield
            page = self._save(draft)
            yield
            if page is not None:
                self._submit(draft, page)
            yield
        while True:  # no drafts left: the lead only reads
            yield self.get("/operations/", "open list")

    def _save(self, draft: int) -> str | None:
        form = self.get(f"/operations/{draft}/edit", "edit page")
        fields = forms.fields(form.text, "operation-form")  # the edit form posts to its own address
        values = dict(fields)
        fields = forms.replaced(
            fields, "narrative", (values.get("narrative", "") + " Checked again by the lead.")[-20000:]
        )
        # imported persons carry a document number without its type, which the form asks for: the lead picks one
        for name, value in values.items():
            if name.endswith("-document_type") and not value and values.get(name.replace("_type", "_number")):
                fields = forms.replaced(fields, name, "passport")
        with self.client.post(
            self.base + f"/operations/{draft}/edit", data=fields, name="save draft", catch_response=True
        ) as answer:
            if answer.status_code != 200 or answer.url.endswith("/edit"):
                said = FIELD_ERROR.search(answer.text)
                answer.failure(f"not saved: {answer.status_code} {html.unescape(said.group(1)) if said else ''}")
                return None
            return answer.text

    def _submit(self, draft: int, page: str) -> None:
        answer = self._post_submit(draft, page, graded_already=False)
        if answer is not None and GRADE_FIRST in answer:
            # a seizure found by intelligence or risk profiling: the lead grades the record, then submits
            graded = self._grade(draft, answer)
            if graded is not None:
                self._post_submit(draft, graded, graded_already=True)

    def _post_submit(self, draft: int, page: str, graded_already: bool) -> str | None:
        fields = forms.fields(page, f"/operations/{draft}/submit")
        with self.client.post(
            self.base + f"/operations/{draft}/submit", data=fields, name="submit", catch_response=True
        ) as answer:
            if answer.status_code == 200 and "is submitted for review" in answer.text:
                return answer.text
            if answer.status_code == 200 and GRADE_FIRST in answer.text and not graded_already:
                return answer.text  # not a failure: the page asks for a grading first, as it should
            answer.failure(f"not submitted: {answer.status_code}")
            return None

    def _grade(self, draft: int, page: str) -> str | None:
        fields = forms.replaced(forms.fields(page, f"/operations/{draft}/handling"), "grading", "B2")
        with self.client.post(
            self.base + f"/operations/{draft}/handling", data=fields, name="grade", catch_response=True
        ) as answer:
            if answer.status_code != 200 or "/handling" in answer.url:
                answer.failure(f"not graded: {answer.status_code}")
                return None
            return answer.text
