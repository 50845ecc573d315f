from google.protobuf import timestamp_pb2 as _timestamp_pb2
from payments.v1 import money_pb2 as _money_pb2
from payments.v1 import payment_pb2 as _payment_pb2
from payments.v1 import quote_pb2 as _quote_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CancelPaymentRequest(_message.Message):
    __slots__ = ["payment_id", "reason"]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    reason: str
    def __init__(self, payment_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelPaymentResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: _payment_pb2.Payment
    def __init__(self, payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ...) -> None: ...

class CreatePaymentRequest(_message.Message):
    __slots__ = ["amount", "bank_transfer", "description", "expires_at", "idempotency_key", "merchant_reference", "metadata", "preferred_adapter", "qris", "remittance", "virtual_account"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    BANK_TRANSFER_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_ADAPTER_FIELD_NUMBER: _ClassVar[int]
    QRIS_FIELD_NUMBER: _ClassVar[int]
    REMITTANCE_FIELD_NUMBER: _ClassVar[int]
    VIRTUAL_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    amount: _money_pb2.Money
    bank_transfer: _payment_pb2.BankTransferMethod
    description: str
    expires_at: _timestamp_pb2.Timestamp
    idempotency_key: str
    merchant_reference: str
    metadata: _containers.ScalarMap[str, str]
    preferred_adapter: str
    qris: _payment_pb2.QrisMethod
    remittance: _payment_pb2.RemittanceMethod
    virtual_account: _payment_pb2.VirtualAccountMethod
    def __init__(self, idempotency_key: _Optional[str] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., qris: _Optional[_Union[_payment_pb2.QrisMethod, _Mapping]] = ..., virtual_account: _Optional[_Union[_payment_pb2.VirtualAccountMethod, _Mapping]] = ..., bank_transfer: _Optional[_Union[_payment_pb2.BankTransferMethod, _Mapping]] = ..., remittance: _Optional[_Union[_payment_pb2.RemittanceMethod, _Mapping]] = ..., merchant_reference: _Optional[str] = ..., description: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., preferred_adapter: _Optional[str] = ...) -> None: ...

class CreatePaymentResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: _payment_pb2.Payment
    def __init__(self, payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ...) -> None: ...

class CreateQuoteRequest(_message.Message):
    __slots__ = ["preferred_adapter", "source_amount", "source_currency", "target_amount", "target_currency"]
    PREFERRED_ADAPTER_FIELD_NUMBER: _ClassVar[int]
    SOURCE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TARGET_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TARGET_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    preferred_adapter: str
    source_amount: _money_pb2.Money
    source_currency: str
    target_amount: _money_pb2.Money
    target_currency: str
    def __init__(self, source_currency: _Optional[str] = ..., target_currency: _Optional[str] = ..., source_amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., target_amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., preferred_adapter: _Optional[str] = ...) -> None: ...

class CreateQuoteResponse(_message.Message):
    __slots__ = ["quote"]
    QUOTE_FIELD_NUMBER: _ClassVar[int]
    quote: _quote_pb2.Quote
    def __init__(self, quote: _Optional[_Union[_quote_pb2.Quote, _Mapping]] = ...) -> None: ...

class GetPaymentRequest(_message.Message):
    __slots__ = ["payment_id"]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    def __init__(self, payment_id: _Optional[str] = ...) -> None: ...

class GetPaymentResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: _payment_pb2.Payment
    def __init__(self, payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ...) -> None: ...

class ListPaymentsRequest(_message.Message):
    __slots__ = ["created_after", "created_before", "methods", "page_size", "page_token", "statuses", "unresolved_only"]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    UNRESOLVED_ONLY_FIELD_NUMBER: _ClassVar[int]
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    methods: _containers.RepeatedScalarFieldContainer[_payment_pb2.PaymentMethodType]
    page_size: int
    page_token: str
    statuses: _containers.RepeatedScalarFieldContainer[_payment_pb2.PaymentStatus]
    unresolved_only: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[_payment_pb2.PaymentStatus, str]]] = ..., methods: _Optional[_Iterable[_Union[_payment_pb2.PaymentMethodType, str]]] = ..., created_after: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., unresolved_only: bool = ...) -> None: ...

class ListPaymentsResponse(_message.Message):
    __slots__ = ["next_page_token", "payments"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    payments: _containers.RepeatedCompositeFieldContainer[_payment_pb2.Payment]
    def __init__(self, payments: _Optional[_Iterable[_Union[_payment_pb2.Payment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class WatchPaymentRequest(_message.Message):
    __slots__ = ["payment_id"]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    def __init__(self, payment_id: _Optional[str] = ...) -> None: ...

class WatchPaymentResponse(_message.Message):
    __slots__ = ["payment", "previous_status"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    payment: _payment_pb2.Payment
    previous_status: _payment_pb2.PaymentStatus
    def __init__(self, payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ..., previous_status: _Optional[_Union[_payment_pb2.PaymentStatus, str]] = ...) -> None: ...
