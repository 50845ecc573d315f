from google.protobuf import timestamp_pb2 as _timestamp_pb2
from payments.v1 import payment_pb2 as _payment_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PaymentEvent(_message.Message):
    __slots__ = ["event_id", "occurred_at", "payment", "previous_status", "version"]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    occurred_at: _timestamp_pb2.Timestamp
    payment: _payment_pb2.Payment
    previous_status: _payment_pb2.PaymentStatus
    version: int
    def __init__(self, event_id: _Optional[str] = ..., payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ..., previous_status: _Optional[_Union[_payment_pb2.PaymentStatus, str]] = ..., version: _Optional[int] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
