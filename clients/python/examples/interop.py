"""Paymesh from Python, end to end: what a calling service does with the generated client.

    python3 examples/interop.py --target HOST:PORT --token TOKEN --simulator-url URL

Runs each check against a running router whose QRIS adapter talks to the QRIS simulator (paying
happens through the simulator's control API), prints one JSON document with what it saw, and
exits 1 if any check failed. The repository's interop test runs it against real processes.
"""

import argparse
import json
import os
import sys
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import grpc  # noqa: E402

import paymesh_client  # noqa: E402
from payments.v1 import (  # noqa: E402
    money_pb2,
    payment_pb2,
    payment_service_pb2 as api,
)

DEADLINE_S = 15


def qris_request(key: str) -> api.CreatePaymentRequest:
    return api.CreatePaymentRequest(
        idempotency_key=key,
        amount=money_pb2.Money(currency="IDR", minor_units=1_500_000),
        qris=payment_pb2.QrisMethod(terminal_label="KASIR-PY"),
        merchant_reference=f"order-{key}",
    )


def pay_in_simulator(simulator_url: str, payment_id: str) -> None:
    request = urllib.request.Request(
        f"{simulator_url}/sim/pay",
        data=json.dumps({"partnerReferenceNo": payment_id}).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=DEADLINE_S) as answer:
        answer.read()


def status_name(status: int) -> str:
    return payment_pb2.PaymentStatus.Name(status)


def run(args) -> dict:
    stub = paymesh_client.connect(args.target, args.token)
    run_id = uuid.uuid4().hex[:12]
    seen = {}

    created = stub.CreatePayment(qris_request(f"py-{run_id}-1"), timeout=DEADLINE_S).payment
    seen["create"] = {"id": created.id, "status": status_name(created.status)}

    replayed = stub.CreatePayment(qris_request(f"py-{run_id}-1"), timeout=DEADLINE_S).payment
    seen["replay"] = {"id": replayed.id, "same": replayed.id == created.id}

    fetched = stub.GetPayment(api.GetPaymentRequest(payment_id=created.id), timeout=DEADLINE_S).payment
    seen["get"] = {"id": fetched.id, "status": status_name(fetched.status)}

    more = [
        stub.CreatePayment(qris_request(f"py-{run_id}-{n}"), timeout=DEADLINE_S).payment.id
        for n in (2, 3, 4)
    ]
    listed, pages, token = [], 0, ""
    while True:
        page = stub.ListPayments(
            api.ListPaymentsRequest(page_size=2, page_token=token), timeout=DEADLINE_S
        )
        pages += 1
        listed.extend(payment.id for payment in page.payments)
        token = page.next_page_token
        if not token or pages > 100:
            break
    ours = [created.id, *more]
    seen["list"] = {
        "pages": pages,
        "all_found": all(payment_id in listed for payment_id in ours),
        "duplicates": len(listed) - len(set(listed)),
    }

    watched = []
    stream = stub.WatchPayment(api.WatchPaymentRequest(payment_id=created.id), timeout=DEADLINE_S)
    for message in stream:
        watched.append(status_name(message.payment.status))
        if len(watched) == 1:
            pay_in_simulator(args.simulator_url, created.id)
    seen["watch"] = {"statuses": watched}

    try:
        stub.CreatePayment(
            api.CreatePaymentRequest(
                idempotency_key=f"py-{run_id}-bad",
                amount=money_pb2.Money(currency="idr", minor_units=1_500_000),
                qris=payment_pb2.QrisMethod(terminal_label="KASIR-PY"),
            ),
            timeout=DEADLINE_S,
        )
        seen["invalid"] = {"refused": False}
    except grpc.RpcError as error:
        seen["invalid"] = {
            "refused": True,
            "code": error.code().name,
            "reason": paymesh_client.error_reason(error),
            "field": paymesh_client.error_field(error),
            "domain": paymesh_client.error_info(error).domain,
        }

    stranger = paymesh_client.connect(args.target, "not-a-token-we-gave-anyone")
    try:
        stranger.GetPayment(api.GetPaymentRequest(payment_id=created.id), timeout=DEADLINE_S)
        seen["bad_token"] = {"refused": False}
    except grpc.RpcError as error:
        seen["bad_token"] = {
            "refused": True,
            "code": error.code().name,
            "reason": paymesh_client.error_reason(error),
        }
    return seen


def failures(seen: dict) -> list:
    expected = {
        "create": seen["create"]["status"] == "PAYMENT_STATUS_REQUIRES_ACTION",
        "replay": seen["replay"]["same"],
        "get": seen["get"]["id"] == seen["create"]["id"],
        "list": seen["list"]["all_found"] and seen["list"]["duplicates"] == 0
        and seen["list"]["pages"] >= 2,
        "watch": seen["watch"]["statuses"][-1:] == ["PAYMENT_STATUS_SUCCEEDED"],
        "invalid": seen["invalid"].get("code") == "INVALID_ARGUMENT"
        and seen["invalid"].get("reason") == "INVALID_FIELD"
        and seen["invalid"].get("field") == "amount.currency",
        "bad_token": seen["bad_token"].get("code") == "UNAUTHENTICATED"
        and seen["bad_token"].get("reason") == "UNAUTHENTICATED",
    }
    return [name for name, ok in expected.items() if not ok]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="the router's gRPC address, host:port")
    parser.add_argument("--token", required=True, help="a caller's bearer token")
    parser.add_argument("--simulator-url", required=True, help="the QRIS simulator's base URL")
    args = parser.parse_args()
    started = time.monotonic()
    seen = run(args)
    failed = failures(seen)
    seen["failed"] = failed
    seen["seconds"] = round(time.monotonic() - started, 3)
    print(json.dumps(seen, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
