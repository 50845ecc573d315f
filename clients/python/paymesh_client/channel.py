"""A PaymentService stub that sends the caller's bearer token with every call."""

import collections
from typing import Optional

import grpc
from payments.v1 import payment_service_pb2_grpc


class _CallDetails(
    collections.namedtuple(
        "_CallDetails",
        ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"),
    ),
    grpc.ClientCallDetails,
):
    pass


class _BearerToken(
    grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor
):
    """Adds ``authorization: Bearer <token>``; works on plaintext and TLS channels alike."""

    def __init__(self, token: str):
        self._header = ("authorization", f"Bearer {token}")

    def _with_token(self, details):
        return _CallDetails(
            details.method,
            details.timeout,
            list(details.metadata or ()) + [self._header],
            details.credentials,
            details.wait_for_ready,
            details.compression,
        )

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._with_token(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._with_token(details), request)


def connect(
    target: str,
    token: str,
    credentials: Optional[grpc.ChannelCredentials] = None,
) -> payment_service_pb2_grpc.PaymentServiceStub:
    """A stub for the router at ``target`` ("host:port"); TLS when ``credentials`` are given."""
    channel = (
        grpc.secure_channel(target, credentials)
        if credentials is not None
        else grpc.insecure_channel(target)
    )
    return payment_service_pb2_grpc.PaymentServiceStub(
        grpc.intercept_channel(channel, _BearerToken(token))
    )
