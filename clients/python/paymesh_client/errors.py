"""Reading Paymesh's google.rpc.ErrorInfo out of a failed call.

Every error Paymesh returns carries a google.rpc.Status in the ``grpc-status-details-bin``
trailer, holding one ErrorInfo: ``reason`` is the stable name to branch on (for example
``INVALID_REQUEST`` or ``IDEMPOTENCY_KEY_REUSED``), ``metadata["field"]`` names the request field
at fault when there is one. Branch on the reason, never on the message text.
"""

from typing import Optional

import grpc
from google.rpc import error_details_pb2, status_pb2

ERROR_DOMAIN = "paymesh.dev"
_DETAILS_KEY = "grpc-status-details-bin"


def error_info(error: grpc.RpcError) -> Optional[error_details_pb2.ErrorInfo]:
    """The ErrorInfo Paymesh attached to ``error``, or None (a transport failure has none)."""
    trailers = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in trailers or ():
        if key != _DETAILS_KEY:
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            info = error_details_pb2.ErrorInfo()
            if detail.Is(info.DESCRIPTOR):
                detail.Unpack(info)
                return info
    return None


def error_reason(error: grpc.RpcError) -> Optional[str]:
    """The ErrorInfo reason, e.g. "INVALID_REQUEST"; None when the error carries no ErrorInfo."""
    info = error_info(error)
    return info.reason if info is not None else None


def error_field(error: grpc.RpcError) -> Optional[str]:
    """The request field at fault (e.g. "amount.currency"), when the error names one."""
    info = error_info(error)
    return info.metadata.get("field") if info is not None else None
