"""Mutation load and verification for scripts/crash-test.sh (standard library only).

    crash_load.py setup  --url URL --state FILE          # tokens from the environment
    crash_load.py load   --url URL --state FILE --acks FILE [--seconds N]
    crash_load.py retry  --url URL --state FILE --acks FILE
    crash_load.py verify --url URL --state FILE --acks FILE

`setup` creates and circulates the draft the delegates comment on and writes
FILE (JSON). `load` sends mutations from several threads until the server
stops answering (it is being killed) or N seconds pass, and appends to the
acks file one JSON line per ACKNOWLEDGED mutation: HTTP 200, no `errors`,
and the id (or note number) in the payload. A response that is not an
acknowledgement is simply not recorded, except an INTERNAL error, which is
a failure (exit 1). `verify` checks that every acknowledged draft, comment
and note is in the database, as the Secretariat sees it through GraphQL.

A fifth thread, a retrying client, sends each of its comments with an
`Idempotency-Key`. A comment it could not get an answer for (the server
was killed) is written to FILE.pending; `retry`, run against the other
instance, sends each again with its key until it is answered (an
acknowledgement, a replay, or CONFLICT for a write done whose answer was
lost). `verify` then checks that each of these comments is in the
database exactly once.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

TOKENS = {
    "secretariat": "CRASH_TOKEN_SECRETARIAT",
    "kaz": "CRASH_TOKEN_KAZ",
    "rus": "CRASH_TOKEN_RUS",
}

CREATE = """mutation($input: CreateDraftInput!) { createDraft(input: $input) { draft { id } } }"""
CIRCULATE = """mutation($id: ID!) { circulateDraft(input: { draftId: $id, series: "CRT" }) {
  draft { id state } note { number } } }"""
COMMENT = """mutation($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }"""
PAGE = """query($after: String) { drafts(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id state notes { number } } } }"""
COMMENTS = """query($id: ID!) { draft(id: $id) { comments { id body } } }"""


class ServerGone(Exception):
    """The connection failed: the server is down (being killed)."""


class Client:
    def __init__(self, url: str, token: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.token = token
        self.conn: http.client.HTTPConnection | None = None
        self.headers_extra: dict[str, str] = {}

    def post(self, query: str, variables: dict) -> tuple[int, dict]:
        body = json.dumps({"query": query, "variables": variables})
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {self.token}",
            **self.headers_extra,
        }
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request("POST", self.path, body=body, headers=headers)
            response = self.conn.getresponse()
            status, raw = response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            raise ServerGone(str(exc)) from exc
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, {"errors": [{"message": f"not JSON: {raw[:200]!r}"}]}


def items(text: str) -> list[dict]:
    return [{"anchor": "item-1", "texts": [{"lang": "EN", "text": text}]}]


def draft_input(n: str) -> dict:
    return {
        "kind": "JOINT_STATEMENT",
        "title": [{"lang": "EN", "text": f"Crash test draft {n}"}],
        "signatories": ["CICA"],
        "items": items(f"Text {n}."),
    }


def ok(status: int, body: dict, *path: str):
    """The value at `path` in `data` when the mutation was acknowledged."""
    if status != 200 or body.get("errors"):
        return None
    value = body.get("data")
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def internal(body: dict) -> bool:
    return any(
        isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "INTERNAL"
        for e in body.get("errors") or []
    )


def setup(args) -> int:
    client = Client(args.url, os.environ[TOKENS["secretariat"]])
    status, body = client.post(CREATE, {"input": draft_input("base")})
    draft = ok(status, body, "createDraft", "draft", "id")
    if draft is None:
        print(f"setup: createDraft failed: {status} {body}", file=sys.stderr)
        return 1
    status, body = client.post(CIRCULATE, {"id": draft})
    if ok(status, body, "circulateDraft", "note", "number") is None:
        print(f"setup: circulateDraft failed: {status} {body}", file=sys.stderr)
        return 1
    with open(args.state, "w") as f:
        json.dump({"base_draft": draft}, f)
    return 0


def send_keyed(client: "Client", base: str, intent: dict) -> str:
    """Sends a keyed comment once: "done", "retry" or "refused"."""
    client.headers_extra = {"Idempotency-Key": intent["key"]}
    try:
        status, body = client.post(COMMENT, {"input": {
            "draftId": base, "version": 1, "anchor": "item-1", "body": intent["body"],
        }})
    finally:
        client.headers_extra = {}
    if ok(status, body, "addComment", "comment", "id") is not None:
        return "done"
    codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
    if "CONFLICT" in codes:
        return "done"  # carried out before; its answer was lost with the server
    if status >= 500 or codes & {"INTERNAL", "UNAVAILABLE"}:
        return "retry"
    return "refused"


def load(args) -> int:
    with open(args.state) as f:
        state = json.load(f)
    base = state["base_draft"]
    lock = threading.Lock()
    acks = open(args.acks, "a", buffering=1)
    stop_at = time.monotonic() + args.seconds
    failures: list[str] = []
    counts = {"acked": 0, "refused": 0}
    tag = f"{os.getpid()}-{time.time_ns()}"

    def ack(record: dict) -> None:
        with lock:
            acks.write(json.dumps(record) + "\n")
            acks.flush()
            counts["acked"] += 1

    def check(status: int, body: dict, what: str) -> None:
        if status >= 500 or internal(body):
            with lock:
                failures.append(f"{what}: HTTP {status} {json.dumps(body)[:300]}")
        elif status != 200 or body.get("errors"):
            with lock:
                counts["refused"] += 1

    def secretariat(worker: int) -> None:
        client = Client(args.url, os.environ[TOKENS["secretariat"]])
        n = 0
        try:
            while time.monotonic() < stop_at:
                n += 1
                status, body = client.post(CREATE, {"input": draft_input(f"{tag}-{worker}-{n}")})
                draft = ok(status, body, "createDraft", "draft", "id")
                if draft is None:
                    check(status, body, "createDraft")
                    continue
                ack({"kind": "draft", "id": draft})
                status, body = client.post(CIRCULATE, {"id": draft})
                number = ok(status, body, "circulateDraft", "note", "number")
                if number is None:
                    check(status, body, "circulateDraft")
                    continue
                ack({"kind": "note", "draft": draft, "number": number})
        except ServerGone:
            pass

    def delegate(who: str) -> None:
        client = Client(args.url, os.environ[TOKENS[who]])
        n = 0
        try:
            while time.monotonic() < stop_at:
                n += 1
                status, body = client.post(COMMENT, {"input": {
                    "draftId": base, "version": 1, "anchor": "item-1",
                    "body": f"{who} comment {tag}-{n}",
                }})
                comment = ok(status, body, "addComment", "comment", "id")
                if comment is None:
                    check(status, body, "addComment")
                    continue
                ack({"kind": "comment", "draft": base, "id": comment})
        except ServerGone:
            pass

    pending_path = args.state + ".pending"

    def keyed() -> None:
        client = Client(args.url, os.environ[TOKENS["kaz"]])
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            intent = {"key": f"{tag}-k{n}", "body": f"keyed comment {tag}-{n}"}
            with lock:
                with open(pending_path, "a") as f:
                    f.write(json.dumps(intent) + "\n")
            try:
                outcome = send_keyed(client, base, intent)
            except ServerGone:
                return  # stays pending: `retry` sends it again
            if outcome == "retry":
                continue  # stays pending
            with lock:
                resolved = [json.loads(l) for l in open(pending_path) if l.strip()]
                with open(pending_path, "w") as f:
                    for other in resolved:
                        if other["key"] != intent["key"]:
                            f.write(json.dumps(other) + "\n")
                if outcome == "done":
                    acks.write(json.dumps({"kind": "keyed", "body": intent["body"]}) + "\n")
                    acks.flush()
                    counts["acked"] += 1

    threads = [
        threading.Thread(target=keyed),
        threading.Thread(target=secretariat, args=(1,)),
        threading.Thread(target=secretariat, args=(2,)),
        threading.Thread(target=delegate, args=("kaz",)),
        threading.Thread(target=delegate, args=("rus",)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    acks.close()
    print(f"load: {counts['acked']} acknowledged, {counts['refused']} refused")
    for failure in failures[:20]:
        print(f"load: server error: {failure}", file=sys.stderr)
    return 1 if failures else 0


def retry(args) -> int:
    """Sends every pending keyed comment again with its key until answered."""
    with open(args.state) as f:
        base = json.load(f)["base_draft"]
    pending_path = args.state + ".pending"
    try:
        pending = [json.loads(l) for l in open(pending_path) if l.strip()]
    except FileNotFoundError:
        pending = []
    client = Client(args.url, os.environ[TOKENS["kaz"]])
    done = 0
    with open(args.acks, "a") as acks:
        for intent in pending:
            for _ in range(50):
                try:
                    outcome = send_keyed(client, base, intent)
                except ServerGone:
                    outcome = "retry"
                if outcome != "retry":
                    break
                time.sleep(0.2)
            else:
                print(f"retry: no answer for {intent}", file=sys.stderr)
                return 1
            if outcome == "done":
                acks.write(json.dumps({"kind": "keyed", "body": intent["body"]}) + "\n")
                done += 1
    open(pending_path, "w").close()
    print(f"retry: {len(pending)} retried with their keys, {done} done")
    return 0


def verify(args) -> int:
    with open(args.state) as f:
        state = json.load(f)
    client = Client(args.url, os.environ[TOKENS["secretariat"]])
    drafts: dict[str, tuple[str, set[str]]] = {}
    after = None
    while True:
        status, body = client.post(PAGE, {"after": after})
        page = ok(status, body, "drafts")
        if page is None:
            print(f"verify: listing drafts failed: {status} {body}", file=sys.stderr)
            return 1
        for node in page["nodes"]:
            drafts[node["id"]] = (node["state"], {n["number"] for n in node["notes"]})
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    status, body = client.post(COMMENTS, {"id": state["base_draft"]})
    draft = ok(status, body, "draft")
    if draft is None:
        print(f"verify: reading comments failed: {status} {body}", file=sys.stderr)
        return 1
    comments = {c["id"] for c in draft["comments"]}
    keyed_bodies: dict[str, int] = {}
    for c in draft["comments"]:
        if c["body"].startswith("keyed comment "):
            keyed_bodies[c["body"]] = keyed_bodies.get(c["body"], 0) + 1

    missing = []
    counts = {"draft": 0, "note": 0, "comment": 0, "keyed": 0}
    numbers: dict[str, str] = {}
    with open(args.acks) as f:
        for line in f:
            record = json.loads(line)
            counts[record["kind"]] += 1
            if record["kind"] == "draft" and record["id"] not in drafts:
                missing.append(record)
            elif record["kind"] == "comment" and record["id"] not in comments:
                missing.append(record)
            elif record["kind"] == "keyed" and keyed_bodies.get(record["body"], 0) != 1:
                missing.append({**record, "copies": keyed_bodies.get(record["body"], 0)})
            elif record["kind"] == "note":
                found = drafts.get(record["draft"])
                if found is None or record["number"] not in found[1] or found[0] == "DRAFTING":
                    missing.append(record)
                if numbers.setdefault(record["number"], record["draft"]) != record["draft"]:
                    missing.append({**record, "problem": "note number issued twice"})
    twice = [b for b, n in keyed_bodies.items() if n > 1]
    if twice:
        missing.append({"problem": "a keyed comment was written twice", "bodies": twice[:5]})
    all_numbers = [n for _, notes in drafts.values() for n in notes]
    if len(all_numbers) != len(set(all_numbers)):
        missing.append({"problem": "a note number appears on two drafts"})
    print(
        f"verify: {counts['draft']} drafts, {counts['note']} notes, {counts['comment']} comments, "
        f"{counts['keyed']} keyed comments acknowledged so far; {len(drafts)} drafts and "
        f"{len(comments)} comments in the database, no keyed comment twice"
    )
    for record in missing[:20]:
        print(f"verify: LOST {json.dumps(record)}", file=sys.stderr)
    return 1 if missing else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["setup", "load", "retry", "verify"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--acks")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    return {"setup": setup, "load": load, "retry": retry, "verify": verify}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
