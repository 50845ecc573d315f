from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Money(_message.Message):
    __slots__ = ["currency", "minor_units"]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    MINOR_UNITS_FIELD_NUMBER: _ClassVar[int]
    currency: str
    minor_units: int
    def __init__(self, currency: _Optional[str] = ..., minor_units: _Optional[int] = ...) -> None: ...
