"""Fuzzes a live Accord GraphQL endpoint with schemathesis, once per role.

Run by scripts/fuzz-api.sh, which starts the server and installs the pinned
schemathesis into a virtualenv; by hand:

    python scripts/fuzz_api.py --url http://127.0.0.1:8000/graphql --bin target/debug/accord

(the server must trust the ACCORD_JWT_SECRET in the environment, which
`accord token` signs with).

Before fuzzing it seeds data whose unique markers one role may read and
another may not: a circulated draft with a comment of Russia and one of
Kazakhstan, and a never-circulated draft signed by CICA alone. Then, for
every role and every root field (queries and mutations), schemathesis
generates valid (positive) and invalid (negative) requests with a fixed seed
and a bounded number of examples. Each response must:

- not be a 5xx, and the server must still be up (no panic, no crash);
- be JSON, with no error coded INTERNAL (an unexpected server error hidden
  behind a 200);
- conform to the schema (schemathesis' response validation: no null in a
  non-null field, well-formed errors);
- contain none of the markers the role must not see ("no cross-state
  data": the Kazakh delegate never sees the Russian comment's body, id or
  author, the observer sees no comment, only CICA sees the uncirculated
  draft, ...).

Explicit probes also check that each role does see what it should (so the
marker check is not vacuous). Exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import GenerationMode


@dataclass
class Role:
    name: str
    sub: str
    org: str
    role: str
    token: str = ""
    forbidden: dict[str, str] = field(default_factory=dict)  # marker -> what it is
    expected: dict[str, str] = field(default_factory=dict)  # marker -> what it is
    requests: int = 0
    saw_own: int = 0
    outcomes: Counter = field(default_factory=Counter)  # "200 ok", "200 NOT_FOUND", "400 …"


# In fuzzing order: the roles that must not see some seeded data first, and
# those that may change it (authors, the Secretariat) as late as possible.
ROLES = [
    Role("JPN observer", "fuzz-jpn-observer", "JPN", "observer"),
    Role("SCO counterpart", "fuzz-sco-officer", "SCO", "counterpart"),
    Role("SCO secretary general", "fuzz-sco-sg", "SCO", "secretary_general"),
    Role("KAZ delegate", "fuzz-kaz-delegate", "KAZ", "delegate"),
    Role("RUS delegate", "fuzz-rus-delegate", "RUS", "delegate"),
    Role("CICA secretary general", "fuzz-cica-sg", "CICA", "secretary_general"),
    Role("CICA secretariat", "fuzz-cica-officer", "CICA", "secretariat"),
]


def mint(binary: str, role: Role) -> str:
    out = subprocess.run(
        [binary, "token", "--sub", role.sub, "--name", role.sub, "--org", role.org, "--role", role.role],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def gql(url: str, token: str, query: str, variables: dict | None = None) -> dict:
    response = requests.post(
        url,
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"seeding failed: {json.dumps(body['errors'])}")
    return body["data"]


CREATE = """mutation($input: CreateDraftInput!) { createDraft(input: $input) { draft { id } } }"""
CIRCULATE = """mutation($id: ID!) { circulateDraft(input: { draftId: $id, series: "PAR" }) { draft { state } } }"""
COMMENT = """mutation($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }"""
PROBE = """query($id: ID!) {
  draft(id: $id) { id title(lang: EN)
    comments { id body author { id name } proposal { texts { text } } }
    compilation(version: 1) { proposals { id body author { id } } }
    history { actor { id name } } }
  drafts(first: 100) { nodes { id title(lang: EN) } } }"""


def seed_data(url: str, by_name: dict[str, Role]) -> tuple[str, list[str]]:
    """Seeds the markers and tells each role what it must and must not see;
    returns the id of the circulated draft and every seeded id."""
    run = uuid.uuid4().hex[:12]
    officer = by_name["CICA secretariat"].token

    def create(title: str, signatories: list[str]) -> str:
        data = gql(url, officer, CREATE, {"input": {
            "kind": "JOINT_STATEMENT",
            "title": [{"lang": "EN", "text": title}],
            "signatories": signatories,
            "items": [{"anchor": "item-1", "texts": [{"lang": "EN", "text": "The Parties agree."}]}],
        }})
        return data["createDraft"]["draft"]["id"]

    visible_title = f"VISIBLE-DRAFT-{run}"
    visible = create(visible_title, ["CICA", "SCO"])
    gql(url, officer, CIRCULATE, {"id": visible})
    hidden_title = f"HIDDEN-DRAFT-{run}"
    hidden = create(hidden_title, ["CICA"])

    def comment(role: Role, marker: str) -> str:
        data = gql(url, role.token, COMMENT, {"input": {
            "draftId": visible, "version": 1, "anchor": "item-1", "body": marker,
            "proposal": {"operation": "REPLACE", "texts": [{"lang": "EN", "text": f"{marker}-PROPOSAL"}]},
        }})
        return data["addComment"]["comment"]["id"]

    kaz, rus = by_name["KAZ delegate"], by_name["RUS delegate"]
    comments = {}
    for delegate in (kaz, rus):
        marker = f"{delegate.org}-COMMENT-{run}"
        comments[delegate.org] = {
            marker: f"{delegate.org} comment body",
            f"{marker}-PROPOSAL": f"{delegate.org} proposal text",
            comment(delegate, marker): f"{delegate.org} comment id",
            delegate.sub: f"{delegate.org} delegate's id",
        }
    # Never offered to the fuzzers, so never moved: the final probe's check.
    unoffered_title = f"UNOFFERED-HIDDEN-DRAFT-{run}"
    unoffered = create(unoffered_title, ["CICA"])
    hidden_markers = {
        hidden_title: "uncirculated draft's title",
        hidden: "uncirculated draft's id",
        unoffered_title: "unoffered uncirculated draft's title",
        unoffered: "unoffered uncirculated draft's id",
    }
    visible_markers = {visible_title: "circulated draft's title", visible: "circulated draft's id"}

    for role in ROLES:
        if role.org == "CICA":
            role.expected = {**visible_markers, **hidden_markers, **comments["KAZ"], **comments["RUS"]}
        elif role.org == "SCO":
            # A counterpart that is not a signatory of the uncirculated draft.
            role.forbidden = dict(hidden_markers)
            role.expected = dict(visible_markers)
        elif role.role == "delegate":
            other = "RUS" if role.org == "KAZ" else "KAZ"
            role.forbidden = {**hidden_markers, **comments[other]}
            role.expected = {**visible_markers, **comments[role.org]}
        else:  # observer: no comments at all
            role.forbidden = {**hidden_markers, **comments["KAZ"], **comments["RUS"]}
            role.expected = dict(visible_markers)
    ids = [visible, hidden] + [m for c in comments.values() for m, what in c.items() if what.endswith("comment id")]
    return visible, ids


def offered_hidden_moved(url: str, officer: str, hidden: str) -> str:
    """What the fuzzing did to the hidden draft offered to it: the actions
    that moved it out of DRAFTING, or "" if it is still uncirculated."""
    data = gql(url, officer, "query($id: ID!) { draft(id: $id) { state history { action actor { id } } } }",
               {"id": hidden})
    found = data["draft"]
    if found["state"] == "DRAFTING":
        return ""
    steps = [f"{h['action']} by {h['actor']['id']}" for h in found["history"] if h["action"] != "CREATE_DRAFT"]
    return f"now {found['state']}: {', '.join(steps)}"


def register_scalars(ids: list[str]) -> None:
    """Lets generated arguments hit the seeded drafts and comments, name real
    organisations, anchors and series, and send valid dates, half of the
    time; random values otherwise."""
    from hypothesis import strategies as st
    from schemathesis.graphql import nodes

    schemathesis.graphql.scalar(
        "ID", st.one_of(st.sampled_from(ids), st.uuids().map(str), st.text(max_size=40)).map(nodes.String)
    )
    words = ["CICA", "SCO", "KAZ", "RUS", "JPN", "item-1", "item-2", "preamble-1", "PAR", "JOINT_STATEMENT",
             "PAR/1", "SOC/2024-II/DEC/3", "Kazakhstan proposes a clearer wording."]
    schemathesis.graphql.scalar("String", st.one_of(st.sampled_from(words), st.text(max_size=60)).map(nodes.String))
    schemathesis.graphql.scalar(
        "Date", st.one_of(st.dates().map(str), st.text(max_size=12)).map(nodes.String)
    )
    # A JSON request cannot carry a file; whatever stands in an `Upload`
    # argument must be refused cleanly (4xx or a GraphQL error, never 5xx).
    schemathesis.graphql.scalar(
        "Upload", st.one_of(st.just("0"), st.text(max_size=20)).map(nodes.String)
    )


class Failures:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, role: Role, label: str, what: str, case=None, body: str = "") -> None:
        if len(self.items) < 200:
            request = ""
            if case is not None:
                request = f"\n    request: {json.dumps(case.body)[:600]}"
            self.items.append(f"[{role.name}] {label}: {what}{request}\n    response: {body[:600]}")


def probe(url: str, draft: str, role: Role, failures: Failures, *, expect: bool) -> None:
    """A fixed query that reads every comment a role may see: nothing
    forbidden may appear, and (`expect`) everything expected must."""
    response = requests.post(
        url,
        json={"query": PROBE, "variables": {"id": draft}},
        headers={"Authorization": f"Bearer {role.token}"},
        timeout=30,
    )
    text = response.text
    if response.status_code != 200:
        failures.add(role, "probe", f"HTTP {response.status_code}", body=text)
    for marker, what in role.forbidden.items():
        if marker in text:
            failures.add(role, "probe", f"sees the {what} ({marker})", body=text)
    for marker, what in role.expected.items() if expect else []:
        if marker not in text:
            failures.add(role, "probe", f"does not see the {what} ({marker}): the marker check would be vacuous", body=text)


def check_response(schema, operation, case, response, role: Role, failures: Failures) -> None:
    label = operation.label
    text = response.text
    role.requests += 1
    if response.status_code >= 500:
        failures.add(role, label, f"HTTP {response.status_code}", case, text)
        return
    try:
        payload = response.json()
    except ValueError:
        failures.add(role, label, f"HTTP {response.status_code} with a body that is not JSON", case, text)
        return
    errors = (payload.get("errors") or []) if isinstance(payload, dict) else []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    role.outcomes[f"{response.status_code} {(first.get('extensions') or {}).get('code', 'ok')}"] += 1
    for error in errors:
        code = (error.get("extensions") or {}).get("code") if isinstance(error, dict) else None
        if code == "INTERNAL" or code is None:
            failures.add(role, label, f"an error coded {code!r}", case, text)
            break
    try:
        schema.validate_response(operation, response, case=case)
    except Exception as exc:  # schemathesis raises its Failure subclasses
        failures.add(role, label, f"response does not conform: {exc}", case, text)
    sent = json.dumps(case.body)
    for marker, what in role.forbidden.items():
        # An id the request itself sent may be echoed back (e.g. "draft … not found").
        if marker in text and marker not in sent:
            failures.add(role, label, f"CROSS-STATE DATA: sees the {what} ({marker})", case, text)
    if any(marker in text for marker in role.expected):
        role.saw_own += 1


def fuzz(url: str, schema, role: Role, args, failures: Failures, deadline: float) -> None:
    headers = {"Authorization": f"Bearer {role.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for operation in operations:
            if time.monotonic() > deadline:
                print(f"  time budget reached; {role.name}: stopped before {operation.label} ({mode.value})")
                return
            try:
                strategy = operation.as_strategy(generation_mode=mode)
            except Exception as exc:  # a mode the operation cannot generate
                print(f"  {operation.label} ({mode.value}): skipped, {exc}")
                continue

            @seed(args.seed)
            @settings(
                max_examples=args.max_examples,
                deadline=None,
                database=None,
                derandomize=False,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False,
            )
            @given(case=strategy)
            def run(case) -> None:
                try:
                    response = case.call(headers=headers, timeout=30)
                except requests.RequestException as exc:
                    failures.add(role, operation.label, f"no response (server down?): {exc}", case)
                    return
                check_response(schema, operation, case, response, role, failures)

            run()
    try:
        requests.get(url.replace("/graphql", "/healthz"), timeout=5).raise_for_status()
    except requests.RequestException as exc:
        failures.add(role, "healthz", f"the server is down after fuzzing: {exc}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="the GraphQL endpoint, e.g. http://127.0.0.1:8000/graphql")
    parser.add_argument("--bin", required=True, help="the accord binary (mints the tokens)")
    parser.add_argument("--max-examples", type=int, default=20, help="per root field, role and mode")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--budget", type=float, default=240, help="seconds of fuzzing for all roles together")
    parser.add_argument("--roles", default="", help="comma-separated role names to fuzz (default: all)")
    args = parser.parse_args()

    started = time.monotonic()
    for role in ROLES:
        role.token = mint(args.bin, role)
    by_name = {role.name: role for role in ROLES}
    draft, ids = seed_data(args.url, by_name)
    register_scalars(ids)
    failures = Failures()
    for role in ROLES:
        probe(args.url, draft, role, failures, expect=True)

    schema = schemathesis.graphql.from_url(
        args.url, headers={"Authorization": f"Bearer {by_name['CICA secretariat'].token}"}, timeout=30
    )
    operations = sum(1 for _ in schema.get_all_operations())
    print(f"  {operations} root fields (queries and mutations), positive and negative cases")
    selected = [r for r in ROLES if not args.roles or r.name in args.roles.split(",")]
    per_role = args.budget / max(len(selected), 1)
    fuzz_start = time.monotonic()
    for index, role in enumerate(selected):
        role_start = time.monotonic()
        # Unused time of earlier roles passes on to later ones.
        deadline = fuzz_start + per_role * (index + 1)
        fuzz(args.url, schema, role, args, failures, max(deadline, role_start + 5))
        print(
            f"  {role.name:<24} {role.requests:>5} requests in {time.monotonic() - role_start:5.1f} s, "
            f"{role.saw_own} showed data it may see, forbidden markers checked: {len(role.forbidden)}"
        )
        print(f"    {', '.join(f'{k}: {v}' for k, v in role.outcomes.most_common())}")

    # The Secretariat's own fuzzing (last) may circulate the seeded hidden
    # draft, as it may: from then on everyone may see it. The final probe
    # then checks the hidden draft no fuzzer was offered.
    moved = offered_hidden_moved(args.url, by_name["CICA secretariat"].token, ids[1])
    if moved:
        print(f"  the Secretariat's fuzzing moved the offered hidden draft ({moved}); "
              "the final probe checks the hidden draft never offered to the fuzzers")
        for role in ROLES:
            for marker in list(role.forbidden):
                if role.forbidden[marker].startswith("uncirculated draft's"):
                    del role.forbidden[marker]
    for role in ROLES:
        probe(args.url, draft, role, failures, expect=False)
    total = sum(r.requests for r in ROLES)
    print(f"fuzzed {total} requests in {time.monotonic() - started:.1f} s (seed {args.seed}, "
          f"{args.max_examples} examples per field, role and mode)")
    if failures.items:
        print(f"{len(failures.items)} failure(s):")
        for item in failures.items:
            print(f"  - {item}")
        return 1
    print("no 5xx, no INTERNAL error, no schema violation, no cross-state data")
    return 0


if __name__ == "__main__":
    sys.exit(main())
