from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
ERROR_REASON_ADAPTER_UNAVAILABLE: ErrorReason
ERROR_REASON_ALREADY_RESOLVED: ErrorReason
ERROR_REASON_AMOUNT_OUT_OF_RANGE: ErrorReason
ERROR_REASON_BANK_NOT_SUPPORTED: ErrorReason
ERROR_REASON_CURRENCY_NOT_SUPPORTED: ErrorReason
ERROR_REASON_DUPLICATE_TRANSACTION: ErrorReason
ERROR_REASON_FAILED_ON_REVIEW: ErrorReason
ERROR_REASON_IDEMPOTENCY_KEY_IN_USE: ErrorReason
ERROR_REASON_IDEMPOTENCY_KEY_REUSED: ErrorReason
ERROR_REASON_INSUFFICIENT_FUNDS: ErrorReason
ERROR_REASON_INTERNAL: ErrorReason
ERROR_REASON_INVALID_DESTINATION: ErrorReason
ERROR_REASON_INVALID_FIELD: ErrorReason
ERROR_REASON_LIMIT_EXCEEDED: ErrorReason
ERROR_REASON_METHOD_NOT_SUPPORTED: ErrorReason
ERROR_REASON_MISSING_FIELD: ErrorReason
ERROR_REASON_NOT_IMPLEMENTED: ErrorReason
ERROR_REASON_OUTCOME_UNKNOWN: ErrorReason
ERROR_REASON_PAYMENT_CHANGED: ErrorReason
ERROR_REASON_PAYMENT_EXPIRED: ErrorReason
ERROR_REASON_PAYMENT_FINAL: ErrorReason
ERROR_REASON_PAYMENT_NOT_CANCELABLE: ErrorReason
ERROR_REASON_PAYMENT_NOT_FOUND: ErrorReason
ERROR_REASON_PAYMENT_NOT_IN_REVIEW: ErrorReason
ERROR_REASON_PAYMENT_RETURNED: ErrorReason
ERROR_REASON_PERMISSION_DENIED: ErrorReason
ERROR_REASON_PROVIDER_AUTH_FAILED: ErrorReason
ERROR_REASON_PROVIDER_DECLINED: ErrorReason
ERROR_REASON_PROVIDER_ERROR: ErrorReason
ERROR_REASON_PROVIDER_RATE_LIMITED: ErrorReason
ERROR_REASON_PROVIDER_TIMEOUT: ErrorReason
ERROR_REASON_PROVIDER_UNAVAILABLE: ErrorReason
ERROR_REASON_QUOTE_EXPIRED: ErrorReason
ERROR_REASON_QUOTE_NOT_FOUND: ErrorReason
ERROR_REASON_RECON_NOT_FOUND: ErrorReason
ERROR_REASON_RECON_RUN_IN_PROGRESS: ErrorReason
ERROR_REASON_REJECTED_BY_BANK: ErrorReason
ERROR_REASON_STORE_UNAVAILABLE: ErrorReason
ERROR_REASON_UNAUTHENTICATED: ErrorReason
ERROR_REASON_UNSPECIFIED: ErrorReason
ERROR_REASON_WEBHOOK_SIGNATURE_INVALID: ErrorReason

class PaymentFailure(_message.Message):
    __slots__ = ["message", "provider_code", "reason"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    message: str
    provider_code: str
    reason: ErrorReason
    def __init__(self, reason: _Optional[_Union[ErrorReason, str]] = ..., message: _Optional[str] = ..., provider_code: _Optional[str] = ...) -> None: ...

class ErrorReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
