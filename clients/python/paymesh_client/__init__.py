"""Paymesh's PaymentService for Python: the generated stubs plus two small helpers.

    import paymesh_client
    from payments.v1 import payment_service_pb2 as api

    stub = paymesh_client.connect("127.0.0.1:50051", token="...")
    try:
        stub.CreatePayment(api.CreatePaymentRequest(...))
    except grpc.RpcError as error:
        info = paymesh_client.error_info(error)   # google.rpc.ErrorInfo, or None
        if info is not None and info.reason == "IDEMPOTENCY_KEY_IN_USE": ...

The generated modules (``payments.v1.*_pb2``, ``google.rpc.*_pb2``) use absolute imports, as
grpc_python_plugin writes them, so importing this package puts their folder on ``sys.path``.
"""

import os
import sys

_GENERATED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gen")
if _GENERATED not in sys.path:
    sys.path.insert(0, _GENERATED)

from .channel import connect  # noqa: E402
from .errors import ERROR_DOMAIN, error_field, error_info, error_reason  # noqa: E402

__all__ = ["ERROR_DOMAIN", "connect", "error_field", "error_info", "error_reason"]
