from google.protobuf import timestamp_pb2 as _timestamp_pb2
from payments.v1 import money_pb2 as _money_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Quote(_message.Message):
    __slots__ = ["adapter", "expires_at", "fees", "id", "provider_reference", "rate", "source_amount", "target_amount"]
    ADAPTER_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FEES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TARGET_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    adapter: str
    expires_at: _timestamp_pb2.Timestamp
    fees: _containers.RepeatedCompositeFieldContainer[QuoteFee]
    id: str
    provider_reference: str
    rate: str
    source_amount: _money_pb2.Money
    target_amount: _money_pb2.Money
    def __init__(self, id: _Optional[str] = ..., source_amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., target_amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., rate: _Optional[str] = ..., fees: _Optional[_Iterable[_Union[QuoteFee, _Mapping]]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., adapter: _Optional[str] = ..., provider_reference: _Optional[str] = ...) -> None: ...

class QuoteFee(_message.Message):
    __slots__ = ["amount", "type"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    amount: _money_pb2.Money
    type: str
    def __init__(self, type: _Optional[str] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...
